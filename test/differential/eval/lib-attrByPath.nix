let
  attrByPath = path: default: set:
    if path == [ ] then set
    else let h = builtins.head path; in
      if set ? ${h} then attrByPath (builtins.tail path) default set.${h} else default;
in [ (attrByPath [ "a" "b" ] 0 { a.b = 42; }) (attrByPath [ "a" "x" ] 0 { a.b = 42; }) ]
