# listToAttrs of 10^5 entries, then 10^5 dynamic lookups (plus a `?` membership test each).
let
  n = 100000;
  names = builtins.genList (i: "key${toString i}") n;
  set = builtins.listToAttrs (builtins.genList (i: { name = "key${toString i}"; value = i * 2; }) n);
  total = builtins.foldl' (acc: name: acc + set.${name}) 0 names;
  present = builtins.foldl' (acc: i: if set ? "key${toString (i * 3)}" then acc + 1 else acc) 0 (builtins.genList (i: i) n);
in
{
  inherit total present;
  count = builtins.length (builtins.attrNames set);
  first = builtins.head (builtins.attrNames set);
}
