[ (baseNameOf "/a/b") (baseNameOf "/a/b/") (baseNameOf "/") (baseNameOf "abc") (baseNameOf "a//") (baseNameOf "") ]
