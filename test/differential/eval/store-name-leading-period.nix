# A leading period is a valid store path name (`./.hidden` keeps its name when copied), only the
# names '.' and '..' (alone or before a dash) are not.
[
  "${./data/pkgdir/.hidden}"
  (builtins.path { path = ./data/hello.txt; name = ".hello"; })
  (builtins.toFile ".x" "y")
  (builtins.toFile "..." "y")
  (derivation { name = ".hidden"; system = "x86_64-linux"; builder = "/bin/sh"; }).drvPath
]
