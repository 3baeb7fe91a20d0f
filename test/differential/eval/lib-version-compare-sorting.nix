builtins.sort (a: b: builtins.compareVersions a b < 0) [ "1.10" "1.2" "1.9.1" "1.9" "2.0pre1" "2.0" "1.0" ]
