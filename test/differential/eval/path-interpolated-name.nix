let n = "foo"; in ./${n}.nix
