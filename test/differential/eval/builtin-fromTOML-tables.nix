builtins.fromTOML ''
  [server]
  host = "localhost"
  [server.tls]
  enabled = false
''
