# Declaration helpers (mkEnableOption, mkPackageOption, literals) and the message helpers.
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types;
  drv = name: { type = "derivation"; inherit name; outPath = "${builtins.storeDir}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-${name}"; };
  pkgs = { hello = drv "hello-2.12"; python3Packages.requests = drv "requests-2.31"; nix = drv "nix-2.28"; nixVersions.latest = drv "nix-2.29"; };
  show = o: { inherit (o) description; type = o.type.description; } // lib.optionalAttrs (o ? default) { default = if o.default == null then null else o.default.name; }
    // lib.optionalAttrs (o ? defaultText) { inherit (o) defaultText; } // lib.optionalAttrs (o ? example) { inherit (o) example; };
  withOption = option: defs: (lib.evalModules { modules = [ { options.o = option; } ] ++ defs; }).config.o;
in
{
  mkEnableOption = let o = lib.mkEnableOption "the thing"; in removeAttrs o [ "type" ] // { type = o.type.description; };
  mkEnableOptionValue = [ (withOption (lib.mkEnableOption "x") [ ]) (withOption (lib.mkEnableOption "x") [ { o = true; } ]) ];
  mkPackageOption = show (lib.mkPackageOption pkgs "hello" { });
  mkPackageOptionPath = show (lib.mkPackageOption pkgs [ "python3Packages" "requests" ] { });
  mkPackageOptionDefault = show (lib.mkPackageOption pkgs "nix" { default = [ "nixVersions" "latest" ]; example = "nixVersions.stable"; extraDescription = "Must support flakes."; });
  mkPackageOptionNullable = show (lib.mkPackageOption pkgs "missing" { nullable = true; default = null; pkgsText = "myPkgs"; });
  mkPackageOptionUsed = (withOption (lib.mkPackageOption pkgs "hello" { }) [ ]).name;
  mkPackageOptionMissing = builtins.tryEval (lib.mkPackageOption pkgs "absent" { }).default;
  literalExpression = lib.literalExpression "pkgs.hello";
  literalMD = lib.literalMD "*markdown*";
  mdDoc = lib.mdDoc "text";
  showOption = map lib.showOption [ [ "a" "b" ] [ "a" "b.c" "<name>" "*" ] [ "users" "users" "<name>" "extraGroups" ] [ "x" "[definition 1-entry 2]" ] [ "<function body>" ] [ ] ];
  showFiles = lib.showFiles [ "a.nix" "b.nix" "c.nix" ];
  showDefs = lib.showDefs [ { file = "one.nix"; value = 1; } { file = "two.nix"; value = { a = [ 1 2 ]; }; } { file = "three.nix"; value = throw "unprintable"; } ];
  mergeEqualOption = lib.mergeEqualOption [ "o" ] [ { file = "a"; value = 1; } { file = "b"; value = 1; } ];
  mergeOneOption = lib.mergeOneOption [ "o" ] [ { file = "a"; value = "only"; } ];
  getValues = lib.getValues [ { file = "a"; value = 1; } { file = "b"; value = 2; } ];
  getFiles = lib.getFiles [ { file = "a"; value = 1; } { file = "b"; value = 2; } ];
  isOption = [ (lib.isOption (mkOption { })) (lib.isOption { }) (lib.isOption 1) ];
  mkOptionKeepsOnlyGiven = builtins.attrNames (mkOption { type = types.int; description = "d"; });
  mkSinkUndeclaredOptions = (lib.evalModules { modules = [ { options.sink = lib.mkSinkUndeclaredOptions { }; } { sink.anything.goes = 1; } ]; }).options.sink.isDefined;
  unknownModule = lib.options.unknownModule;
}
