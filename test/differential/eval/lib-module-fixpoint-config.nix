let
  evalModules = modules:
    let
      config = builtins.foldl' (acc: m: acc // (m { inherit config; })) { } modules;
    in config;
in evalModules [
  ({ config }: { name = "demo"; })
  ({ config }: { greeting = "hi ${config.name}"; })
  ({ config }: { loud = config.greeting + "!"; })
]
