builtins.fromTOML ''
  basic = "tab\tnewline\n"
  literal = 'C:\path'
  multi = """
  line1
  line2"""
''
