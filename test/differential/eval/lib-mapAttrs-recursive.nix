let
  mapAttrsRecursive = f: set:
    let recurse = path: builtins.mapAttrs (name: value:
      if builtins.isAttrs value then recurse (path ++ [ name ]) value else f (path ++ [ name ]) value);
    in recurse [ ] set;
in mapAttrsRecursive (path: v: builtins.concatStringsSep "." path + "=" + toString v) { a = { b = 1; c = { d = 2; }; }; e = 3; }
