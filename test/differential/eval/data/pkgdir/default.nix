{ name = "pkgdir"; }
