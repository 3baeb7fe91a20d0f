let x = ".."; in ./a/${x}/b
