# The top list (one element) is a copy in Nix; the set inside it is the first one seen.
let a = [ { x = a; } ]; in a
