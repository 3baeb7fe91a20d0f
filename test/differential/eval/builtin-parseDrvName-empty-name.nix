builtins.parseDrvName "-1.0"
