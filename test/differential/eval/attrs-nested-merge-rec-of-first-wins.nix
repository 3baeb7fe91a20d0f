{ a = rec { x = 1; y = x + 1; }; a.z = 3; }
