# modern: a missing file is reported as a missing path (2.8 words the failed open).
builtins.hashFile "sha256" ./does-not-exist
