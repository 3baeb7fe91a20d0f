''  a
    b
  c''
