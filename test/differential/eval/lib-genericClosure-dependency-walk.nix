let
  pkgs = {
    app = [ "lib" "util" ];
    lib = [ "base" ];
    util = [ "base" "lib" ];
    base = [ ];
  };
in map (x: x.key) (builtins.genericClosure {
  startSet = [ { key = "app"; } ];
  operator = item: map (d: { key = d; }) pkgs.${item.key};
})
