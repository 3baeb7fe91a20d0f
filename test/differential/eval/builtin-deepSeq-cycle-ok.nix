let s = { inherit s; v = 1; }; in builtins.deepSeq s "done"
