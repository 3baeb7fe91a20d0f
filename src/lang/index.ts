// The public surface of the language front end: parsing, positions, code frames, rendering.
export type * from "./ast.js";
export { parse, type ParseOptions } from "./parser.js";
export { ParseError } from "./errors.js";
export { Lexer, tokenize, unescapeString, type Token, type LexerOptions } from "./lexer.js";
export { T, tokenName } from "./tokens.js";
export { lineColumn, lineText, formatPosition, originName } from "./position.js";
export { renderCodeFrame } from "./code-frame.js";
export { showExpr, showString, showIdentifier, showAttrPath, formatFloat } from "./show.js";
export { canonPath, absPath } from "./canon-path.js";
