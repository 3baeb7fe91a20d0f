{ imports = [ ./mod-c-child.nix ]; list = [ "c" ]; }
