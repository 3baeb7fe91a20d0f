builtins.split "(b)?" "ab"
