let
  recursiveUpdateUntil = pred: lhs: rhs:
    let f = attrPath:
      builtins.zipAttrsWith (n: values:
        let here = attrPath ++ [ n ]; in
        if builtins.length values == 1 || pred here (builtins.elemAt values 1) (builtins.head values)
        then builtins.head values
        else f here values);
    in f [ ] [ rhs lhs ];
  recursiveUpdate = recursiveUpdateUntil (path: lhs: rhs: !(builtins.isAttrs lhs && builtins.isAttrs rhs));
in recursiveUpdate { a = { b = 1; c = { d = 2; }; }; e = 3; } { a = { c = { f = 4; }; g = 5; }; e = 6; }
