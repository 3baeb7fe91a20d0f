builtins.unsafeGetAttrPos "b" { a = 1;
  b = 2; }
