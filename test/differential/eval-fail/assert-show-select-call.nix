let s = { ok = x: false; }; in assert s.ok 1; 1
