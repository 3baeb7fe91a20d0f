# modern only (builtins.convertHash, since 2.19); expected values computed independently.
builtins.convertHash { hash = "md5:5d41402abc4b2a76b9719d911017c592"; toHashFormat = "base64"; }
