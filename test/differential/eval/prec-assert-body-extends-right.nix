assert true; 1 + 1
