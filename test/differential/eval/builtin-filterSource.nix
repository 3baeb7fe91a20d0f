builtins.filterSource (p: t: t == "directory" || builtins.match ".*\\.txt" p != null) ./data/dir
