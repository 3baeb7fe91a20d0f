let x = "outer"; in rec { ${"x"} = "dyn"; y = x; }
