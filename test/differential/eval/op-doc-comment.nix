/** documented */ { a = /** field */ 1; }
