builtins.seq [ (throw "inside list") ] "ok"
