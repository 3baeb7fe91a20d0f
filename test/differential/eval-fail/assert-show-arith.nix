let a = 1; in assert a - 1 >= a * 2; 1
