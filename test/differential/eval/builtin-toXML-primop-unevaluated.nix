builtins.toXML [ map ]
