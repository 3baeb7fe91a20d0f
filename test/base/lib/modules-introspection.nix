# The evaluation result: options metadata, extendModules, type, _module, class (spec §1.7, §1.9).
let
  lib = import ../../../flakes/base/lib;
  inherit (lib) mkOption types mkDefault;
  decl = {
    _file = "decl.nix";
    options.services.web = {
      enable = lib.mkEnableOption "the web service";
      port = mkOption {
        type = types.port;
        default = 80;
        defaultText = lib.literalExpression "80";
        example = 8080;
        description = "Port to listen on.";
        internal = false;
        visible = true;
      };
      name = mkOption { type = types.str; readOnly = true; default = "web"; };
    };
    options."odd name".x = mkOption { type = types.int; default = 0; };
  };
  first = { _file = "first.nix"; services.web.port = mkDefault 81; };
  second = { _file = "second.nix"; services.web.enable = true; };
  r = lib.evalModules { modules = [ decl first second ]; };
  port = r.options.services.web.port;
  x = r.extendModules { modules = [ { _file = "third.nix"; services.web.port = 82; } ]; };
  withPrefix = lib.evalModules { prefix = [ "outer" "inner" ]; modules = [ { options.p = mkOption { default = 1; }; } ]; };
in
{
  value = port.value;
  isDefined = [ port.isDefined r.options.services.web.enable.isDefined ];
  files = port.files;
  definitions = port.definitions;
  definitionsWithLocations = port.definitionsWithLocations;
  declarations = port.declarations;
  declarationPositions = map (p: { inherit (p) line column; file = baseNameOf p.file; }) port.declarationPositions;
  highestPrio = port.highestPrio;
  loc = port.loc;
  typeDescription = port.type.description;
  declaredAttributes = { inherit (port) default defaultText example description internal visible _type; };
  toString = [ "${port}" (toString r.options."odd name".x) ];
  enableOption = { inherit (r.options.services.web.enable) default example description; type = r.options.services.web.enable.type.description; };
  readOnlyDefault = r.config.services.web.name;
  resultShape = builtins.attrNames r;
  resultType = r._type;
  configHasNoModule = r.config ? _module;
  moduleCheck = r._module.check;
  moduleArgsNames = builtins.attrNames r._module.args;
  specialArgsOption = r._module.specialArgs;
  optionsHaveModule = builtins.attrNames r.options._module;
  extended = { port = x.config.services.web.port; files = x.options.services.web.port.files; original = r.config.services.web.port; };
  extendedTwice = (x.extendModules { modules = [ { services.web.port = lib.mkForce 83; } ]; }).config.services.web.port;
  extendedSpecialArgs = (r.extendModules { specialArgs.tag = "t"; modules = [ ({ tag, ... }: { services.web.enable = tag == "t"; }) ]; }).config.services.web.enable;
  extendModulesArg = (lib.evalModules { modules = [ decl ({ extendModules, ... }: { options.viaArg = mkOption { default = (extendModules { modules = [ first ]; }).config.services.web.port; }; }) ]; }).config.viaArg;
  typeAsSubmodule = (lib.evalModules {
    modules = [ { options.sub = mkOption { type = r.type; }; } { sub.services.web.port = 99; } ];
  }).config.sub.services.web.port;
  moduleTypeArg = (lib.evalModules { modules = [ ({ moduleType, ... }: { options.d = mkOption { default = moduleType.description; }; }) ]; }).config.d;
  prefix = { loc = withPrefix.options.p.loc; str = "${withPrefix.options.p}"; prefixArg = (lib.evalModules { prefix = [ "a" ]; modules = [ ({ _prefix, ... }: { options.p = mkOption { default = _prefix; }; }) ]; }).config.p; };
  class = [ r.class (lib.evalModules { class = "nixos"; modules = [ ]; }).class ];
  optionsArg = (lib.evalModules { modules = [ decl ({ options, ... }: { options.seen = mkOption { default = options.services.web.port.declarations; }; }) ]; }).config.seen;
  unusedDefaultNeverForced = (lib.evalModules { modules = [ { options.lazy = mkOption { default = throw "never forced"; }; options.other = mkOption { default = 1; }; } ]; }).options.other.value;
  isOption = [ (lib.isOption port) (lib.isOption r.options.services.web) ];
}
