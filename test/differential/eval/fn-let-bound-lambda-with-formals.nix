let f = { x ? 1, y ? 2 }: x * y; in [ (f { }) (f { x = 3; }) (f { y = 5; x = 2; }) ]
