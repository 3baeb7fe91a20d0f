map (x: x.key) (builtins.genericClosure {
  startSet = [ { key = 10; } { key = 1; } ];
  operator = x: if x.key == 10 then [ { key = 5; } { key = 20; } ] else if x.key == 5 then [ { key = 1; } { key = 3; } ] else [ ];
})
