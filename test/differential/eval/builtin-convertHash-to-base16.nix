# modern only (builtins.convertHash, since 2.19); expected values computed independently.
builtins.convertHash { hash = "sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="; toHashFormat = "base16"; }
