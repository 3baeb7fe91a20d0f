let x = throw "never forced"; y = 2; in y
