# `import ./flakes/base { }` gives the package set, like `import <nixpkgs> { }`:
# arguments system, overlays and config (see ./pkgs/default.nix).
import ./pkgs
