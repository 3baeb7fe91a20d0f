# The pretty printer used by error messages, and the text generators.
let
  lib = import ../../../flakes/base/lib;
  inherit (lib.generators) toPretty toKeyValue toINI withRecursion;
  deep = { a.b.c.d.e.f.g.h.i.j.k.l = 1; };
in
{
  ints = toPretty { } [ 1 (-2) ];
  strings = map (toPretty { }) [ "plain" "quote \" and \\ and \${x}" "two\nlines" "ends\n" "has '' and \${x}\nsecond" ];
  stringsOneLine = toPretty { multiline = false; } "a\nb";
  scalars = toPretty { } [ true false null ./data ];
  lists = [ (toPretty { } [ ]) (toPretty { } [ 1 [ 2 [ ] ] ]) (toPretty { multiline = false; } [ 1 [ 2 ] ]) ];
  sets = [ (toPretty { } { }) (toPretty { } { a = 1; "b c" = { d = [ "x" ]; }; }) (toPretty { multiline = false; } { a = { b = 1; }; }) ];
  functions = [ (toPretty { } (x: x)) (toPretty { } ({ a, b ? 1 }: a)) (toPretty { } { __functor = self: x: x; }) ];
  derivation = toPretty { } { type = "derivation"; name = "hello-1.0"; };
  derivationNoName = toPretty { } { type = "derivation"; };
  pretty = toPretty { allowPrettyValues = true; } { __pretty = v: "<<${v}>>"; val = "x"; };
  indent = toPretty { indent = "    "; } { a = [ 1 ]; };
  withRecursion = toPretty { } (withRecursion { depthLimit = 3; throwOnDepthLimit = false; } deep);
  withRecursionThrows = builtins.tryEval (toPretty { } (withRecursion { depthLimit = 3; } deep));
  keyValue = toKeyValue { } { a = "x"; b = 1; c = true; d = null; };
  keyValueDup = toKeyValue { listsAsDuplicateKeys = true; } { a = [ 1 2 ]; };
  keyValueSep = toKeyValue { mkKeyValue = lib.generators.mkKeyValueDefault { } ": "; } { "a:b" = "c"; };
  ini = toINI { } { main = { a = 1; b = "two"; }; "sec[1]" = { c = false; }; };
  json = lib.generators.toJSON { } { a = [ 1 "b" null ]; };
}
