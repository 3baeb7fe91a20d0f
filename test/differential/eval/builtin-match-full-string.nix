[ (builtins.match "ab" "ab") (builtins.match "ab" "abc") (builtins.match "b" "ab") ]
