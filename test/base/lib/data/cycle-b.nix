{ imports = [ ./cycle-a.nix ]; list = [ "cycle-b" ]; }
