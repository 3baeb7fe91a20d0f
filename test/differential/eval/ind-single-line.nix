''  hello  ''
