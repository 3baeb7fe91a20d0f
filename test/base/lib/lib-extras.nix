# Everyday helpers beyond the core families: platforms and systems, licenses, source filters,
# the file system, URL and build-flag strings (what package definitions and flakes call).
let
  lib = import ../../../flakes/base/lib;
  src = ./data/src;
  # The files a cleanSourceWith result keeps, found by walking its origSrc with its filter as
  # builtins.path does (reading the store copy back needs a writable store).
  kept = s:
    let
      walk = dir: lib.concatMap
        (name:
          let path = "${dir}/${name}"; type = (builtins.readDir dir).${name}; in
          if !(s.filter path type) then [ ]
          else if type == "directory" then walk path
          else [ path ])
        (builtins.attrNames (builtins.readDir dir));
    in map (lib.removePrefix "${toString s.origSrc}/") (walk (toString s.origSrc));
  names = dir: map (p: lib.removePrefix "${toString dir}/" (toString p)) (lib.filesystem.listFilesRecursive dir);
in
{
  flakeExposed = lib.systems.flakeExposed;
  perSystem = builtins.attrNames (lib.genAttrs lib.systems.flakeExposed (system: null));
  elaborated = let p = lib.systems.elaborate "x86_64-linux"; in {
    inherit (p) system isLinux isDarwin isx86_64 isAarch64 is64bit config;
    cpu = p.parsed.cpu.name;
    fromSet = (lib.systems.elaborate { system = "aarch64-linux"; }).isAarch64;
  };
  platforms = {
    linuxHasX86 = builtins.elem "x86_64-linux" lib.platforms.linux;
    unixHasDarwin = builtins.elem "aarch64-darwin" lib.platforms.unix;
    x86_64 = builtins.filter (s: lib.hasSuffix "linux" s) lib.platforms.x86_64;
    none = lib.platforms.none;
  };
  licenses = {
    mit = { inherit (lib.licenses.mit) spdxId shortName free url; };
    gpl3Plus = lib.licenses.gpl3Plus.spdxId;
    unfree = { inherit (lib.licenses.unfree) free shortName; };
    withMaintainers = with lib.maintainers; [ ];
  };
  sources = {
    cleaned = kept (lib.cleanSource src);
    cleanedName = (lib.cleanSource src).name;
    byRegex = kept (lib.sourceByRegex src [ "sub" "sub/.*\\.txt" "a\\.txt" ]);
    bySuffix = kept (lib.sourceFilesBySuffices src [ ".nix" ]);
    composed = kept (lib.cleanSourceWith { src = lib.cleanSource src; filter = path: type: !(lib.hasSuffix ".nix" path); name = "no-nix"; });
    composedName = (lib.cleanSourceWith { src = lib.cleanSource src; name = "renamed"; }).name;
    storePath = builtins.match "${builtins.storeDir}/[a-z0-9]{32}-source" (lib.cleanSource src).outPath != null;
  };
  filesystem = {
    listed = names src;
    types = map lib.filesystem.pathType [ src ./data/src/a.txt ];
    isDir = map lib.filesystem.pathIsDirectory [ src ./data/src/a.txt ./data/missing ];
    isFile = map lib.filesystem.pathIsRegularFile [ src ./data/src/a.txt ];
  };
  strings = {
    url = lib.escapeURL "a b/c?d=e&f~g_h.i-j%k";
    nameFromURL = lib.nameFromURL "https://example.org/dist/hello-2.12.tar.gz" "-";
    meson = [ (lib.mesonBool "tests" false) (lib.mesonEnable "docs" true) (lib.mesonOption "prefix" "/usr") ];
    cmake = [ (lib.cmakeBool "BUILD_TESTING" true) (lib.cmakeFeature "CMAKE_BUILD_TYPE" "Release") (lib.cmakeOptionType "path" "DIR" "/x") ];
  };
  attrsets = {
    optionalDrvAttr = [ (lib.optionalDrvAttr true "x") (lib.optionalDrvAttr false "x") ];
    chooseDevOutputs = map (p: p.name) (lib.chooseDevOutputs [ { name = "a"; dev = { name = "a-dev"; }; outputs = [ "out" "dev" ]; } ]);
  };
}
