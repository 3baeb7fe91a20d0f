builtins.tryEval { a = throw "printed later"; }
