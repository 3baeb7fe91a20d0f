builtins.fromTOML ''
  hex = 0xff
  oct = 0o17
  bin = 0b101
  under = 1_000
  neg = -42
  exp = 5e2
  frac = -0.25
''
