let v = "V"; in ''
  pre ${v} post
    deeper ${v}
''
