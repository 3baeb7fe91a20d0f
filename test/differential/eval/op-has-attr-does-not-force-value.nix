{ a = throw "value not needed"; } ? a
