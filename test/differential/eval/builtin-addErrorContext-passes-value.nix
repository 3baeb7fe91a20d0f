builtins.addErrorContext "context message" (1 + 2)
