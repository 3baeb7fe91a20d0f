1 /* inline */ + # line comment
  2 /* multi
  line */ * 3
