[ (__length [ 1 2 ]) (__head [ "h" ]) (__isString "s") (__attrNames { z = 1; a = 2; }) ]
