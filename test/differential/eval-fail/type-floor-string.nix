builtins.floor "a"
