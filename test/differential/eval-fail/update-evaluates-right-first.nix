# modern (2.32+): `//` evaluates its right operand first; 2.8 evaluated the left one first.
(throw "left") // (throw "right")
