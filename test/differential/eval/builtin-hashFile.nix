map (a: builtins.hashFile a ./data/hello.txt) [ "md5" "sha1" "sha256" "sha512" ]
