builtins.toJSON { __toString = self: "stringified"; a = 1; }
