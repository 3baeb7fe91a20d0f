let e = "txt"; in ./a.${e}
