let a = "A"; in "x${"y${a}z"}w"
