builtins.splitVersion "1.2a3-b"
