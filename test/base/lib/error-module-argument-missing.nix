# A module argument that nothing provides.
let lib = import ../../../flakes/base/lib; inherit (lib) mkOption; in
(lib.evalModules { modules = [ { options.x = mkOption { }; } ({ pkgs, ... }: { x = pkgs.hello; }) ]; }).config.x
