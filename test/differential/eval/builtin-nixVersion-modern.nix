# modern: nixVersion is at least 2.18 (2.8 reports "2.8.0").
[ (builtins.isString builtins.nixVersion) (builtins.compareVersions builtins.nixVersion "2.18" >= 0) ]
