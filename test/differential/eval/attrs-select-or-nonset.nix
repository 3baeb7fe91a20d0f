let x = 1; in x.a or "default"
