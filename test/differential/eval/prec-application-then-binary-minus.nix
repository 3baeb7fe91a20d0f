let f = 10; in f -1
