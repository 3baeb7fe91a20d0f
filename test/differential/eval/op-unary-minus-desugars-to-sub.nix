let __sub = a: b: "neg ${toString a} ${toString b}"; in -3
