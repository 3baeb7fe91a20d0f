(builtins.tryEval (throw "${toString 42}")).success
