import ./data/pkgdir
