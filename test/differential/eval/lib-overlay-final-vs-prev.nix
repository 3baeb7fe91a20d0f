let
  fix = f: let x = f x; in x;
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  base = final: { version = "1"; label = "v${final.version}"; };
  overlay = final: prev: { version = "2"; oldLabel = prev.label; };
  r = fix (extends overlay base);
in [ r.label r.oldLabel ]
