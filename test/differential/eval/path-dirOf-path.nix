dirOf ./a/b
