builtins.toFile "hello.txt" "hi"
