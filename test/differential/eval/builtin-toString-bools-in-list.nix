toString [ true false 1 ]
