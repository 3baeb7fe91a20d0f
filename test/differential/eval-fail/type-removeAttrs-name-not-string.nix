removeAttrs { } [ 1 ]
