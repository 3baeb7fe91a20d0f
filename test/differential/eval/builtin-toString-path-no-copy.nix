toString ./data/hello.txt
