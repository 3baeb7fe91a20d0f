let mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (builtins.attrNames attrs);
in builtins.concatStringsSep "&" (mapAttrsToList (k: v: "${k}=${v}") { z = "26"; a = "1"; m = "13"; })
