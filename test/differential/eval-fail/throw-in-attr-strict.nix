{ a = 1; b = throw "nested boom"; }
