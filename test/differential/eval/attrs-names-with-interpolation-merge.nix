let p = "a"; in { "${p}".b = 1; }
