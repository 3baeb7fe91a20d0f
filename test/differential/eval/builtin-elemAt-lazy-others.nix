builtins.elemAt [ (throw "other") "wanted" ] 1
