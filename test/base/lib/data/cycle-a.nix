{ imports = [ ./cycle-b.nix ]; list = [ "cycle-a" ]; }
