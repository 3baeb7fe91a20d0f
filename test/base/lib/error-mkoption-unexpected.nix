# mkOption takes a fixed set of attributes.
# Nix 2.8 words this differently (error-mkoption-unexpected.err28.exp); modern Nix and tix name the function first.
let lib = import ../../../flakes/base/lib; in
lib.mkOption { type = lib.types.int; defualt = 1; }
