(x: { inherit x; y = x + 1; }) 1
