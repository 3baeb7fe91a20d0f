false -> throw "right side of -> must not be evaluated"
