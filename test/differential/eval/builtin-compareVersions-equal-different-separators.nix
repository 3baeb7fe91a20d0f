[ (builtins.compareVersions "1.0" "1-0") (builtins.compareVersions "1.0.0" "1.0") (builtins.compareVersions "1.0pre" "1.0.0") ]
