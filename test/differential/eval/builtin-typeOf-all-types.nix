map builtins.typeOf [ 1 1.5 true null "s" ./p [ ] { } (x: x) map ]
