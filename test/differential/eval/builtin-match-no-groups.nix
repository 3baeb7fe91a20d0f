builtins.match "[0-9]+" "2024"
