# Fixed points and overlays: `fix`, `extends`, composable extensions, extensible attribute sets.
{ lib }:
let
  fix = f: let self = f self; in self;

  # Like `fix`, but remembers the function so the result can be re-opened.
  fix' = f: let self = f self // { __unfix__ = f; }; in self;

  # Iterate `f` from `x` until two successive results are equal.
  converge = f: x: let next = f x; in if next == x then x else converge f next;

  # Turn `f` into an overlay-style function of `final` and `prev` if it is not one already.
  toExtension = f:
    if builtins.isFunction f then
      final: prev:
        let applied = f final; in
        if builtins.isFunction applied then applied prev else applied
    else final: prev: f;

  # Layer `overlay` on top of the open recursion `base`.
  extends = overlay: base: final:
    let prev = base final; in prev // overlay final prev;

  composeExtensions = first: second: final: prev:
    let
      afterFirst = first final prev;
      combined = prev // afterFirst;
    in afterFirst // second final combined;

  composeManyExtensions = builtins.foldl' composeExtensions (final: prev: { });

  makeExtensibleWithCustomName = extenderName: base:
    fix' (self: base self // {
      ${extenderName} = overlay: makeExtensibleWithCustomName extenderName (extends overlay base);
    });

  makeExtensible = makeExtensibleWithCustomName "extend";
in
{
  inherit fix fix' converge toExtension extends composeExtensions composeManyExtensions
    makeExtensible makeExtensibleWithCustomName;
}
