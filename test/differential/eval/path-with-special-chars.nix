baseNameOf ./a+b/c-1.2_x
