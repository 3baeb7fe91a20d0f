let v = "2"; in ./v${v}/x
