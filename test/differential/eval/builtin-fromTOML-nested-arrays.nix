builtins.fromTOML ''
  m = [ [ 1, 2 ], [ "a" ] ]
''
