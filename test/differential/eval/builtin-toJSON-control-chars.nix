# modern: toJSON uses the short escapes \b and \f (2.8 wrote \u0008 and \u000c).
builtins.toJSON (builtins.fromJSON ''"\u0001\u001f\b\f"'')
