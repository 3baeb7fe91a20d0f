# modern only (builtins.traceVerbose, since 2.10): without --trace-verbose it just returns its second argument.
builtins.traceVerbose "hidden" "value"
