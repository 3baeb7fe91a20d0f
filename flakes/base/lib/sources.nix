# Source filtering for `src = …`: drop version-control and editor files, or keep only what
# matches. The results are store paths (builtins.path) that can be filtered again.
{ lib }:
let
  inherit (builtins) baseNameOf match any elem isAttrs;
  inherit (lib.strings) hasSuffix hasPrefix removePrefix;

  # What cleanSource drops: VCS directories, editor backups and swap files, object files,
  # `result` links of nix-build, and sockets/devices.
  cleanSourceFilter = name: type:
    let base = baseNameOf (toString name); in
    !((type == "directory" && elem base [ ".git" ".svn" "CVS" ".hg" ".bzr" ".jj" ])
      || hasSuffix "~" base
      || match "^\\.?.*\\.sw[a-z]$" base != null
      || match "^\\.#.*$" base != null
      || match "^#.*#$" base != null
      || hasSuffix ".o" base || hasSuffix ".so" base
      || (type == "symlink" && hasPrefix "result" base)
      || type == "unknown");

  # { src; filter; name; }: filters compose when src is itself a cleanSourceWith result.
  cleanSourceWith = { src, filter ? (_: _: true), name ? null }:
    let
      isFiltered = isAttrs src && src._isLibCleanSourceWith or false;
      origSrc = if isFiltered then src.origSrc else src;
      combined = if isFiltered then (path: type: src.filter path type && filter path type) else filter;
      finalName = if name != null then name else if isFiltered then src.name else "source";
    in
    {
      _isLibCleanSourceWith = true;
      inherit origSrc;
      filter = combined;
      name = finalName;
      outPath = builtins.path { path = origSrc; filter = combined; name = finalName; };
    };

  cleanSource = src: cleanSourceWith { filter = cleanSourceFilter; inherit src; };

  # Keep the files whose path relative to src matches one of the regexes (directories on the
  # way must match too).
  sourceByRegex = src: regexes:
    let
      root = toString (if isAttrs src && src._isLibCleanSourceWith or false then src.origSrc else src);
      filter = path: type:
        let rel = removePrefix (root + "/") (toString path); in
        any (re: match re rel != null) regexes;
    in
    cleanSourceWith { inherit src filter; };

  # Keep directories and files ending in one of the suffixes.
  sourceFilesBySuffices = src: suffixes:
    cleanSourceWith {
      inherit src;
      filter = name: type: type == "directory" || any (s: hasSuffix s (baseNameOf (toString name))) suffixes;
    };
in
{
  inherit cleanSourceFilter cleanSourceWith cleanSource sourceByRegex sourceFilesBySuffices;
}
