# derivation is a Nix-code lambda in Nix: it prints as one, and functionArgs sees its `outputs ? [ "out" ]`.
[ derivation builtins.derivation (builtins.functionArgs derivation) (builtins.functionArgs builtins.map) ]
