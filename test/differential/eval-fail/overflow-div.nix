# modern (2.25+): integer overflow is an error; 2.8 wrapped around (or, for division, used other wording).
(-9223372036854775807 - 1) / -1
