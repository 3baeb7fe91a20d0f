[ (builtins.compareVersions "" "1") (builtins.compareVersions "1" "a") (builtins.compareVersions "a" "b") (builtins.compareVersions "" "") ]
