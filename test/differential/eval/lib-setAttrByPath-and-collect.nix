let
  setAttrByPath = path: value: if path == [ ] then value else { ${builtins.head path} = setAttrByPath (builtins.tail path) value; };
  collect = pred: v: if pred v then [ v ] else if builtins.isAttrs v then builtins.concatMap (collect pred) (builtins.attrValues v) else [ ];
in [ (setAttrByPath [ "x" "y" "z" ] 1) (collect builtins.isInt { a = 1; b = { c = 2; d = "no"; }; }) ]
