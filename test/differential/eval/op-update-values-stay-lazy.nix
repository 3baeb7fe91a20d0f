({ a = throw "left value"; b = 1; } // { c = throw "right value"; }).b
