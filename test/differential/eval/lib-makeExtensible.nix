let
  fix = f: let x = f x; in x;
  extends = overlay: f: final: let prev = f final; in prev // overlay final prev;
  makeExtensibleWithCustomName = extenderName: rattrs:
    fix (self: (rattrs self) // { ${extenderName} = f: makeExtensibleWithCustomName extenderName (extends f rattrs); });
  makeExtensible = makeExtensibleWithCustomName "extend";
  obj = makeExtensible (self: { x = 1; y = self.x + 1; });
  obj2 = obj.extend (final: prev: { x = 10; });
  obj3 = obj2.extend (final: prev: { y = prev.y * 2; });
in [ obj.y obj2.y obj3.y ]
