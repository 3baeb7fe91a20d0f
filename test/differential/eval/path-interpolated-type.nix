let x = "a"; in builtins.typeOf ./${x}
