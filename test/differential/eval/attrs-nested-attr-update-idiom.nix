let base = { a = { x = 1; y = 2; }; }; in base // { a = base.a // { y = 20; }; }
