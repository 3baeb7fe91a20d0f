builtins.addErrorContext (throw "message not forced") "value"
