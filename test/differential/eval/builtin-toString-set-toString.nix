[ (toString { __toString = s: "custom"; }) (toString { __toString = s: 42; }) ]
