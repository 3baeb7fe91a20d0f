# The literal below contains a raw CR LF line break, kept as is in indented strings.
''
  a
''
