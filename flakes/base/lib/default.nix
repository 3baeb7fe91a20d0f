# The base flake's `lib`: everyday helpers and the module system as one attribute set.
# `import ./flakes/base/lib` needs no inputs; `lib.extend` layers overlays on top.
let
  fixedPoints = import ./fixed-points.nix { lib = null; };

  build = self:
    let
      load = file: import file { lib = self; };

      trivial = load ./trivial.nix;
      attrsets = load ./attrsets.nix;
      lists = load ./lists.nix;
      strings = load ./strings.nix;
      versions = load ./versions.nix;
      asserts = load ./asserts.nix;
      debug = load ./debug.nix;
      generators = load ./generators.nix;
      customisation = load ./customisation.nix;
      options = load ./options.nix;
      types = load ./types.nix;
      modules = load ./modules.nix;
      meta = load ./meta.nix;
      systemsAndPlatforms = load ./systems.nix;
      licenses = load ./licenses.nix;
      sources = load ./sources.nix;
      filesystem = load ./filesystem.nix;

      namespaces = {
        inherit trivial attrsets lists strings versions asserts debug generators customisation
          options types modules fixedPoints meta licenses sources filesystem;
        inherit (systemsAndPlatforms) systems platforms;
        # No maintainer list: `with lib.maintainers; [ ]` works, naming someone does not.
        maintainers = { };
      };

      # Names found directly on `lib`. Clashes: `hasPrefix`/`removePrefix` are the string ones,
      # `replicate` the list one, `importJSON`/`importTOML` the plain (non-module) ones.
      flat = lists // attrsets // strings // trivial // fixedPoints // customisation // debug // meta
        // { inherit (asserts) assertMsg assertOneOf; }
        // options // modules
        // {
          inherit (types) mkOptionType isType setType isOptionType defaultTypeMerge defaultFunctor;
          inherit (lists) toposort replicate;
          inherit (trivial) importJSON importTOML;
          inherit (sources) cleanSource cleanSourceWith cleanSourceFilter sourceByRegex sourceFilesBySuffices;
          inherit (attrsets) chooseDevOutputs optionalDrvAttr;
        };
    in
    flat // namespaces;
in
fixedPoints.makeExtensible build
