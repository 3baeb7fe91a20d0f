# __overrides replaces a rec attribute after the others were made: a binding naming it sees the replacement.
rec { a = [ 1 ]; b = a; c = [ a b ]; __overrides = { a = [ 2 ]; }; }
