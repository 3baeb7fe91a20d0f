# String building: 10^5 small strings built with `+` and toString, joined by divide-and-conquer
# interpolation and by concatStringsSep, then replaceStrings over the ~1 MB result.
let
  n = 100000;
  piece = i: "item-" + toString i + ";";
  pieces = builtins.genList piece n;
  # Balanced interpolation tree: O(n log n) copying rather than the quadratic left fold.
  build = lo: hi:
    if hi - lo == 1 then piece lo
    else let mid = (lo + hi) / 2; in "${build lo mid}${build mid hi}";
  interpolated = build 0 n;
  joined = builtins.concatStringsSep "," pieces;
  replaced = builtins.replaceStrings [ "item-" ";" "," "99" ] [ "<" ">" "" "ninety-nine" ] joined;
  len = builtins.stringLength;
in
{
  interpolatedLength = len interpolated;
  joinedLength = len joined;
  replacedLength = len replaced;
  sameContent = interpolated == builtins.replaceStrings [ "," ] [ "" ] joined;
  tail = builtins.substring (len replaced - 40) 40 replaced;
  middle = builtins.substring 500000 30 interpolated;
}
