(x: 1) (throw "argument not needed")
