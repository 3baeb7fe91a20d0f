let inner = ''
  i
''; in ''
  outer
  ${inner}
''
