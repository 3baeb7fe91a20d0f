builtins.length (builtins.genericClosure {
  startSet = [ { key = 0; } ];
  operator = item: if item.key < 3000 then [ { key = item.key + 1; } { key = item.key / 2; } ] else [ ];
})
