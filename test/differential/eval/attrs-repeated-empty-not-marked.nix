let x = { }; y = [ ]; in [ x x y y ]
