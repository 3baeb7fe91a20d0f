builtins.toXML "<a href=\"x\">&amp;\n'</a>"
