let s = { inherit s; }; in s
