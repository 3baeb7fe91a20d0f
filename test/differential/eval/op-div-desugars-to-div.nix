let __div = a: b: "div"; in 1 / 0
