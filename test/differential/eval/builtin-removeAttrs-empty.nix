[ (removeAttrs { } [ "a" ]) (removeAttrs { a = 1; } [ ]) ]
