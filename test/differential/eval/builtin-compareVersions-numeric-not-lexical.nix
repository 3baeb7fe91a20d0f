[ (builtins.compareVersions "1.10" "1.9") (builtins.compareVersions "10" "9") ]
