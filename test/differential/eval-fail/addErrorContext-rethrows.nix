builtins.addErrorContext "while doing something" (throw "inner failure")
