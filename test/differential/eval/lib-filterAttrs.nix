let filterAttrs = pred: set: builtins.listToAttrs (builtins.concatMap (name: let v = set.${name}; in if pred name v then [ { inherit name; value = v; } ] else [ ]) (builtins.attrNames set));
in filterAttrs (n: v: v > 1) { a = 1; b = 2; c = 3; }
