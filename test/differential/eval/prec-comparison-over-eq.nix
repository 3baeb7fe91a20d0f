[ (1 < 2 == true) (2 < 1 == false) ]
