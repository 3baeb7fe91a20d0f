./foo
