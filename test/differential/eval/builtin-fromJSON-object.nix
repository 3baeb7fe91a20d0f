builtins.fromJSON ''{ "b": [1, 2, {"c": null}], "a": "x" }''
