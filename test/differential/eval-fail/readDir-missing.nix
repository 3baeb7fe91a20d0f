# modern: a missing directory is reported like other missing paths (2.8 words the failed opendir).
builtins.readDir ./does-not-exist
