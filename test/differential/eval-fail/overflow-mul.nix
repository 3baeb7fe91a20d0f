# modern (2.25+): integer overflow is an error; 2.8 wrapped around (or, for division, used other wording).
4611686018427387904 * 2
