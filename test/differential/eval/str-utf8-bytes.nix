[ (builtins.stringLength "é") (builtins.stringLength "日本") (builtins.stringLength "a😀") ]
