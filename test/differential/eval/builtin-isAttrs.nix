[ (builtins.isAttrs { }) (builtins.isAttrs [ ]) (builtins.isAttrs { __functor = s: x: x; }) ]
