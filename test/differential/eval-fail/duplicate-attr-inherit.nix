let x = 1; in { x = 1; inherit x; }
