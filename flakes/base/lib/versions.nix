# Parts of version strings ("1.2.3" → major "1", minor "2", patch "3").
{ lib }:
let
  inherit (builtins) splitVersion elemAt length concatStringsSep;
  part = i: v: elemAt (splitVersion v) i;
  pad = n: version:
    let
      parts = splitVersion version;
      missing = n - length parts;
    in concatStringsSep "." (if missing <= 0 then lib.lists.take n parts else parts ++ lib.lists.replicate missing "0");
in
{
  inherit splitVersion pad;
  major = part 0;
  minor = part 1;
  patch = part 2;
  majorMinor = v: concatStringsSep "." (lib.lists.take 2 (splitVersion v));
}
