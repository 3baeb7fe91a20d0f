// Token kinds shared by the lexer and the parser, and the names syntax errors use for them
// (modern Nix's bison token aliases, e.g. `'++'`, `identifier`, `end of file`).

export const enum T {
  EOF,
  ID,
  STR,
  IND_STR,
  INT,
  FLOAT,
  PATH,
  HPATH,
  SPATH,
  PATH_END,
  URI,
  IF,
  THEN,
  ELSE,
  ASSERT,
  WITH,
  LET,
  IN,
  REC,
  INHERIT,
  EQ,
  NEQ,
  LEQ,
  GEQ,
  UPDATE,
  CONCAT,
  AND,
  OR,
  IMPL,
  OR_KW,
  PIPE_FROM,
  PIPE_INTO,
  DOLLAR_CURLY,
  IND_STRING_OPEN,
  IND_STRING_CLOSE,
  ELLIPSIS,
  // Single characters the grammar uses.
  COLON,
  AT,
  SEMI,
  BANG,
  MINUS,
  LT,
  GT,
  QUESTION,
  PLUS,
  STAR,
  SLASH,
  DOT,
  QUOTE,
  LPAREN,
  RPAREN,
  LBRACE,
  RBRACE,
  LBRACKET,
  RBRACKET,
  EQUALS,
  COMMA,
  /** Any other single byte (bison's "invalid token"). */
  INVALID,
}

/**
 * Encodes a Unicode JS string as a byte string (UTF-8 bytes, one char per byte); a lone surrogate
 * becomes U+FFFD as with TextEncoder. Written out because modules call this at load, and the
 * first TextEncoder loads Node's encoding module (~0.2 ms of every start).
 */
export function utf8Bytes(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out += s[i];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) out += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out += String.fromCharCode(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out += String.fromCharCode(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

const NAMES: string[] = [];
NAMES[T.EOF] = "end of file";
NAMES[T.ID] = "identifier";
NAMES[T.STR] = "string";
NAMES[T.IND_STR] = "indented string";
NAMES[T.INT] = "integer";
NAMES[T.FLOAT] = "floating-point literal";
NAMES[T.PATH] = "path";
NAMES[T.HPATH] = utf8Bytes("'~/…' path");
NAMES[T.SPATH] = utf8Bytes("'<…>' path");
NAMES[T.PATH_END] = "end of path";
NAMES[T.URI] = "URI";
NAMES[T.IF] = "'if'";
NAMES[T.THEN] = "'then'";
NAMES[T.ELSE] = "'else'";
NAMES[T.ASSERT] = "'assert'";
NAMES[T.WITH] = "'with'";
NAMES[T.LET] = "'let'";
NAMES[T.IN] = "'in'";
NAMES[T.REC] = "'rec'";
NAMES[T.INHERIT] = "'inherit'";
NAMES[T.EQ] = "'=='";
NAMES[T.NEQ] = "'!='";
NAMES[T.LEQ] = "'<='";
NAMES[T.GEQ] = "'>='";
NAMES[T.UPDATE] = "'//'";
NAMES[T.CONCAT] = "'++'";
NAMES[T.AND] = "'&&'";
NAMES[T.OR] = "'||'";
NAMES[T.IMPL] = "'->'";
NAMES[T.OR_KW] = "'or'";
NAMES[T.PIPE_FROM] = "'<|'";
NAMES[T.PIPE_INTO] = "'|>'";
NAMES[T.DOLLAR_CURLY] = "'${'";
NAMES[T.IND_STRING_OPEN] = "start of an indented string";
NAMES[T.IND_STRING_CLOSE] = "end of an indented string";
NAMES[T.ELLIPSIS] = "'...'";
NAMES[T.COLON] = "':'";
NAMES[T.AT] = "'@'";
NAMES[T.SEMI] = "';'";
NAMES[T.BANG] = "'!'";
NAMES[T.MINUS] = "'-'";
NAMES[T.LT] = "'<'";
NAMES[T.GT] = "'>'";
NAMES[T.QUESTION] = "'?'";
NAMES[T.PLUS] = "'+'";
NAMES[T.STAR] = "'*'";
NAMES[T.SLASH] = "'/'";
NAMES[T.DOT] = "'.'";
NAMES[T.QUOTE] = "'\"'";
NAMES[T.LPAREN] = "'('";
NAMES[T.RPAREN] = "')'";
NAMES[T.LBRACE] = "'{'";
NAMES[T.RBRACE] = "'}'";
NAMES[T.LBRACKET] = "'['";
NAMES[T.RBRACKET] = "']'";
NAMES[T.EQUALS] = "'='";
NAMES[T.COMMA] = "','";
NAMES[T.INVALID] = "invalid token";

/** The name of a token kind as modern Nix prints it in `syntax error, unexpected …`. */
export function tokenName(kind: T): string {
  return NAMES[kind]!;
}

/** Token kinds for the single bytes the grammar uses; other bytes are INVALID. */
export const SINGLE_CHAR_TOKENS: Readonly<Record<string, T>> = {
  ":": T.COLON,
  "@": T.AT,
  ";": T.SEMI,
  "!": T.BANG,
  "-": T.MINUS,
  "<": T.LT,
  ">": T.GT,
  "?": T.QUESTION,
  "+": T.PLUS,
  "*": T.STAR,
  "/": T.SLASH,
  ".": T.DOT,
  '"': T.QUOTE,
  "(": T.LPAREN,
  ")": T.RPAREN,
  "{": T.LBRACE,
  "}": T.RBRACE,
  "[": T.LBRACKET,
  "]": T.RBRACKET,
  "=": T.EQUALS,
  ",": T.COMMA,
};

export const KEYWORDS: ReadonlyMap<string, T> = new Map([
  ["if", T.IF],
  ["then", T.THEN],
  ["else", T.ELSE],
  ["assert", T.ASSERT],
  ["with", T.WITH],
  ["let", T.LET],
  ["in", T.IN],
  ["rec", T.REC],
  ["inherit", T.INHERIT],
  ["or", T.OR_KW],
]);
