let s = { a = 1; }; n = "a"; in [ s.${n} s."${n}" ]
