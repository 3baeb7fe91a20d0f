[ (dirOf "/a/b/c") (dirOf "/a/b/") (dirOf "/a") (dirOf "abc") (dirOf "") (dirOf "a//b") (dirOf "/") ]
