let x = "tmp"; in /${x}/y
