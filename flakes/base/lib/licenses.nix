# `lib.licenses`: the licenses packages name in meta.license, with their SPDX identifiers.
{ lib }:
let
  spdx = free: spdxId: fullName: {
    inherit spdxId fullName free;
    url = "https://spdx.org/licenses/${spdxId}.html";
    redistributable = free;
    deprecated = false;
  };
  free = spdx true;
  nonSpdx = fullName: free: { inherit fullName free; redistributable = free; deprecated = false; };

  licenses = {
    agpl3Only = free "AGPL-3.0-only" "GNU Affero General Public License v3.0 only";
    agpl3Plus = free "AGPL-3.0-or-later" "GNU Affero General Public License v3.0 or later";
    asl20 = free "Apache-2.0" "Apache License 2.0";
    artistic2 = free "Artistic-2.0" "Artistic License 2.0";
    boost = free "BSL-1.0" "Boost Software License 1.0";
    bsd0 = free "0BSD" "BSD Zero Clause License";
    bsd2 = free "BSD-2-Clause" "BSD 2-clause \"Simplified\" License";
    bsd3 = free "BSD-3-Clause" "BSD 3-clause \"New\" or \"Revised\" License";
    cc0 = free "CC0-1.0" "Creative Commons Zero v1.0 Universal";
    cc-by-40 = free "CC-BY-4.0" "Creative Commons Attribution 4.0";
    cc-by-sa-40 = free "CC-BY-SA-4.0" "Creative Commons Attribution Share Alike 4.0";
    epl20 = free "EPL-2.0" "Eclipse Public License 2.0";
    gpl2Only = free "GPL-2.0-only" "GNU General Public License v2.0 only";
    gpl2Plus = free "GPL-2.0-or-later" "GNU General Public License v2.0 or later";
    gpl3Only = free "GPL-3.0-only" "GNU General Public License v3.0 only";
    gpl3Plus = free "GPL-3.0-or-later" "GNU General Public License v3.0 or later";
    isc = free "ISC" "ISC License";
    lgpl21Only = free "LGPL-2.1-only" "GNU Lesser General Public License v2.1 only";
    lgpl21Plus = free "LGPL-2.1-or-later" "GNU Lesser General Public License v2.1 or later";
    lgpl3Only = free "LGPL-3.0-only" "GNU Lesser General Public License v3.0 only";
    lgpl3Plus = free "LGPL-3.0-or-later" "GNU Lesser General Public License v3.0 or later";
    mit = free "MIT" "MIT License";
    mit0 = free "MIT-0" "MIT No Attribution";
    mpl20 = free "MPL-2.0" "Mozilla Public License 2.0";
    ofl = free "OFL-1.1" "SIL Open Font License 1.1";
    psfl = free "Python-2.0" "Python Software Foundation License version 2";
    unlicense = free "Unlicense" "The Unlicense";
    wtfpl = free "WTFPL" "Do What The F*ck You Want To Public License";
    zlib = free "Zlib" "zlib License";
    publicDomain = nonSpdx "Public Domain" true;
    free = nonSpdx "Unspecified free software license" true;
    unfree = nonSpdx "Unfree" false;
    unfreeRedistributable = nonSpdx "Unfree redistributable" false // { redistributable = true; };
  };
in
# shortName is the attribute's name, as nixpkgs has it.
builtins.mapAttrs (shortName: l: l // { inherit shortName; }) licenses
