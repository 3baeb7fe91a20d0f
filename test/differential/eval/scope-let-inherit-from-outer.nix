let x = 1; in let inherit x; in x + 1
