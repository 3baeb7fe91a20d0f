let n = "inner"; in { outer.${n} = 1; outer.other = 2; }
