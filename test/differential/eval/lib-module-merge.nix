let
  modules = [
    { options.port = 80; config.services = [ "http" ]; }
    { config.services = [ "ssh" ]; config.hostName = "box"; }
    { config.services = [ "dns" ]; options.debug = false; }
  ];
  mergeAttrsWith = f: a: b:
    a // b // builtins.listToAttrs (map (n: { name = n; value = f a.${n} b.${n}; })
      (builtins.filter (n: a ? ${n}) (builtins.attrNames b)));
  mergeValues = x: y:
    if builtins.isList x && builtins.isList y then x ++ y
    else if builtins.isAttrs x && builtins.isAttrs y then mergeAttrsWith mergeValues x y
    else y;
  merged = builtins.foldl' (acc: m: mergeValues acc m) { } modules;
in merged
