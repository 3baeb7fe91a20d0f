[ 0 (throw "not compared") ] < [ 1 (throw "not compared") ]
