let
  defaults = { a = 1; b = { x = 1; }; c = [ 1 ]; };
  layer1 = defaults // { a = 2; };
  layer2 = layer1 // { b = layer1.b // { y = 2; }; };
  layer3 = layer2 // { c = layer2.c ++ [ 2 ]; } // { d = "new"; };
in layer3
