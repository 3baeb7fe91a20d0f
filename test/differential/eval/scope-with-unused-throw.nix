with (throw "with set not needed"); 42
