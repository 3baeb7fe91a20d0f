let x = "unused"; in ''
   ''${x}
  a''
