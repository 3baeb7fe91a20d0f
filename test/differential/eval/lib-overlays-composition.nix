let
  fix = f: let x = f x; in x;
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  composeExtensions = f: g: final: prev: let fApplied = f final prev; prev' = prev // fApplied; in fApplied // g final prev';
  composeManyExtensions = builtins.foldl' composeExtensions (final: prev: { });
  base = final: { pkgs = { a = 1; }; total = final.pkgs.a + (final.pkgs.b or 0); };
  o1 = final: prev: { pkgs = prev.pkgs // { b = 10; }; };
  o2 = final: prev: { pkgs = prev.pkgs // { a = prev.pkgs.a * 100; }; };
  result = fix (extends (composeManyExtensions [ o1 o2 ]) base);
in [ result.total result.pkgs ]
