builtins.hashString "foo" "x"
