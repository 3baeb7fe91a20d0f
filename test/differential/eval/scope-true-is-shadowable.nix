let true = 1; in true
