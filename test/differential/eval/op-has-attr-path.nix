[ ({ a.b.c = 1; } ? a.b.c) ({ a.b.c = 1; } ? a.b.d) ({ a.b = 1; } ? a.b.c) ]
