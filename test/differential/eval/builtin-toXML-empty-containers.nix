builtins.toXML [ [ ] { } "" ]
