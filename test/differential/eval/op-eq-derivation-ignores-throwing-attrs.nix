{ type = "derivation"; outPath = "/x"; bad = throw "not compared"; } == { type = "derivation"; outPath = "/x"; bad = 2; }
