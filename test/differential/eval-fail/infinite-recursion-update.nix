let a = { } // a; in a.foo
