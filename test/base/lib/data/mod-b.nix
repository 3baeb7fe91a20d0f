{ imports = [ ./mod-a.nix ]; list = [ "b" ]; }
