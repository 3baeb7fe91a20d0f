"file: " + ./data/hello.txt
