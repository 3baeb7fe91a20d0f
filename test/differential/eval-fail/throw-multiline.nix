# A thrown message's later lines are indented under its first; blank lines stay empty.
let f = x: throw "first line\nsecond line\n  indented third\nlast"; in f 1
