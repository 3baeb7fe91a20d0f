# Merges of compound types: a bare store path as a package, submodules inside lists, attribute
# sets and either, coercedTo inside attrsOf (spec §1.6).
let lib = import ../../../flakes/base/lib; t = lib.types;
  merged = type: values: (lib.evalModules { modules = [ { options.o = lib.mkOption { inherit type; }; } ] ++ map (v: { o = v; }) (lib.reverseList values); }).config.o;
  p = merged t.package [ "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bare-1.0" ];
in { inherit (p) name; out = p.outPath; pType = p.type; str = "${p}"; isDrv = lib.isDerivation p;
  shellPkg = (merged t.shellPackage [ { type = "derivation"; name = "sh"; outPath = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-sh"; shellPath = "/bin/sh"; } ]).shellPath;
  pathInStoreMerge = merged t.pathInStore [ "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x" ];
  listOfSubmodule = merged (t.listOf (t.submodule { options.a = lib.mkOption { type = t.int; default = 1; }; })) [ [ { } { a = 2; } ] ];
  attrsOfSubmoduleName = merged (t.attrsOf (t.submodule ({ name, ... }: { options.n = lib.mkOption { default = name; }; }))) [ { x = { }; } ];
  coercedToNested = merged (t.attrsOf (t.coercedTo t.str (s: [ s ]) (t.listOf t.str))) [ { a = "one"; } { a = [ "two" ]; } ];
  eitherSubmodule = merged (t.either t.str (t.submodule { options.x = lib.mkOption { default = 3; }; })) [ { } ];
}
