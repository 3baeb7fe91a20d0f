let
  deps = { a = [ "b" "c" ]; b = [ "c" ]; c = [ ]; d = [ "a" ]; };
  closure = name: map (x: x.key) (builtins.genericClosure { startSet = [ { key = name; } ]; operator = i: map (k: { key = k; }) deps.${i.key}; });
in builtins.mapAttrs (n: _: builtins.sort builtins.lessThan (closure n)) deps
