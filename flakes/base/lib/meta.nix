# Package metadata helpers: the main executable of a package, install priorities.
{ lib }:
let
  addMetaAttrs = extra: drv: drv // { meta = (drv.meta or { }) // extra; };
  setPrio = priority: addMetaAttrs { inherit priority; };
  lowPrio = setPrio 10;
  hiPrio = setPrio (-10);

  getExe' = pkg: name: "${lib.attrsets.getBin pkg}/bin/${name}";
  getExe = pkg:
    let
      name = lib.strings.getName pkg;
      main = pkg.meta.mainProgram or (lib.trivial.warn
        "getExe: package `${name}' has no meta.mainProgram; assuming its main program is called `${name}'. Set meta.mainProgram in the package, or name the program with lib.getExe' pkg \"program\"."
        name);
    in getExe' pkg main;
in
{
  inherit addMetaAttrs setPrio lowPrio hiPrio getExe getExe';
}
