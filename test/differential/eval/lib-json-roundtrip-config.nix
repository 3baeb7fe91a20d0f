let cfg = { services = { web = { port = 8080; hosts = [ "a" "b" ]; }; }; enable = true; }; in builtins.fromJSON (builtins.toJSON cfg) == cfg
