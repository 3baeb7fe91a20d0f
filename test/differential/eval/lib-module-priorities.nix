let
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  prio = v: if builtins.isAttrs v && (v._type or null) == "override" then v.priority else 100;
  strip = v: if builtins.isAttrs v && (v._type or null) == "override" then v.content else v;
  resolve = defs:
    let best = builtins.foldl' (m: d: if prio d < m then prio d else m) 100000 defs;
    in map strip (builtins.filter (d: prio d == best) defs);
in [ (resolve [ (mkDefault 1) 2 ]) (resolve [ (mkDefault 1) (mkForce 3) 2 ]) (resolve [ (mkDefault 1) (mkDefault 5) ]) ]
