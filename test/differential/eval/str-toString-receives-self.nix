let s = { n = 3; __toString = self: "n=${toString self.n}"; }; in "${s}"
