builtins.length [ (throw "element") 2 ]
