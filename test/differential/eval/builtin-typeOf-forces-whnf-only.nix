builtins.typeOf [ (throw "elements stay lazy") ]
