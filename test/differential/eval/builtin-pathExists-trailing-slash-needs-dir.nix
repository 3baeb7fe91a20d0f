[ (builtins.pathExists "${toString ./data/hello.txt}/") (builtins.pathExists "${toString ./data}/") (builtins.pathExists "${toString ./data}/.") ]
