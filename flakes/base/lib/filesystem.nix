# Questions about files on disk: their type and the files below a directory (e.g. to import
# every module of a directory).
{ lib }:
let
  inherit (builtins) readDir dirOf baseNameOf pathExists attrNames concatMap;

  # Nix 2.8 has no builtins.readFileType: ask the parent directory.
  pathType = path:
    if !pathExists path then throw "lib.filesystem.pathType: the path ${toString path} does not exist."
    else if dirOf path == path then "directory"
    else (readDir (dirOf path)).${baseNameOf path};
  pathIsDirectory = path: pathExists path && pathType path == "directory";
  pathIsRegularFile = path: pathExists path && pathType path == "regular";

  # Every file below dir (following no symlinked directories), sorted by name at each level.
  listFilesRecursive = dir:
    let entries = readDir dir; in
    concatMap
      (name:
        let path = dir + "/${name}"; in
        if entries.${name} == "directory" then listFilesRecursive path else [ path ])
      (attrNames entries);
in
{
  inherit pathType pathIsDirectory pathIsRegularFile listFilesRecursive;
}
