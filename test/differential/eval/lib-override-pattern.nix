let
  makeOverridable = f: origArgs:
    let result = f origArgs; in result // { override = newArgs: makeOverridable f (origArgs // newArgs); };
  pkg = makeOverridable ({ name, version }: { full = "${name}-${version}"; }) { name = "pkg"; version = "1"; };
in [ pkg.full (pkg.override { version = "2"; }).full ((pkg.override { version = "2"; }).override { name = "renamed"; }).full ]
