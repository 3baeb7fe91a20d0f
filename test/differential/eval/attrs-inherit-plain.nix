let a = 1; b = "b"; in { inherit a b; c = 3; }
