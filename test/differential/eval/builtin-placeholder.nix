[ (builtins.placeholder "out") (builtins.placeholder "dev") (placeholder "out") ]
