./a == "${toString ./a}"
