(builtins.tryEval (builtins.deepSeq { a = { b = throw "deep throw"; }; } 1)).success
