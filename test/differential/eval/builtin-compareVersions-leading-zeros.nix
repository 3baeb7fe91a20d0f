[ (builtins.compareVersions "1.01" "1.1") (builtins.compareVersions "1.0-rc1" "1.0") ]
