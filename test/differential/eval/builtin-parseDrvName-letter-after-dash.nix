builtins.parseDrvName "gtk-engines-murrine-0.98.2"
