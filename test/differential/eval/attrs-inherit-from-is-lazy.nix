{ inherit (throw "source not needed") a; b = 1; }.b
