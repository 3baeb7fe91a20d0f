[ 1 (throw "element boom") ]
