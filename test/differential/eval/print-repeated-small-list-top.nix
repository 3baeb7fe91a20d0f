# A list of one or two elements printed at the top is a copy in Nix: met again below, it is printed, not «repeated».
let a = { l = [ a 1 ]; }; in a.l
