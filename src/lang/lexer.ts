// The Nix tokenizer: longest-match rules over byte strings, with a stack of lexer states for
// strings, indented strings, paths and the `${ … }` nesting inside them (mirrors Nix's flex scanner).
import type { Source } from "./ast.js";
import { ParseError } from "./errors.js";
import { T, utf8Bytes } from "./tokens.js";

export interface Token {
  readonly kind: T;
  /** Where Nix's parser locates the token (errors point here). */
  readonly start: number;
  readonly end: number;
  /**
   * ID: the name; STR/IND_STR: the (unescaped) text; INT: number or bigint; FLOAT: number;
   * PATH/HPATH/SPATH/URI: the literal text; otherwise null.
   */
  readonly value: string | number | bigint | null;
  /** IND_STR only: plain text whose leading spaces take part in indentation stripping. */
  readonly indented: boolean;
}

export interface LexerOptions {
  /** Whether `|>` and `<|` are accepted (Nix's experimental `pipe-operators`); default true. */
  readonly pipeOperators?: boolean;
}

const enum S {
  INITIAL,
  DEFAULT,
  STRING,
  IND_STRING,
  INPATH,
  INPATH_SLASH,
}

// Character classes, one bit each.
const ID_START = 1;
const ID_CHAR = 2;
const PATH_CHAR = 4;
const DIGIT = 8;
const SCHEME_CHAR = 16;
const URI_CHAR = 32;
const SPACE = 64;

const CLASS = new Uint8Array(256);
{
  const add = (chars: string, bit: number): void => {
    for (let i = 0; i < chars.length; i++) CLASS[chars.charCodeAt(i)]! |= bit;
  };
  const lower = "abcdefghijklmnopqrstuvwxyz";
  const letters = lower + lower.toUpperCase();
  const digits = "0123456789";
  add(letters + "_", ID_START);
  add(letters + digits + "_'-", ID_CHAR);
  add(letters + digits + "._-+", PATH_CHAR);
  add(digits, DIGIT);
  add(letters + digits + "+-.", SCHEME_CHAR);
  add(letters + digits + "%/?:@&=+$,-_.!~*'", URI_CHAR);
  add(" \t\r\n", SPACE);
}

const MAX_INT64 = 9223372036854775807n;
const MIN_NORMAL = 2.2250738585072014e-308;

// Identifiers are interned across sources: a large file names the same few thousand things
// hundreds of thousands of times, and one string per name (instead of one per occurrence) makes the
// AST a third fewer objects for the GC and lets name lookups reuse the string's cached hash.
const names = new Map<string, string>();
const MAX_NAMES = 200_000;

function internName(s: string): string {
  const known = names.get(s);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMES) names.clear();
  names.set(s, s);
  return s;
}

/** Produces the tokens of one source on demand (`next()`), like a flex scanner. */
export class Lexer {
  private readonly text: string;
  private readonly len: number;
  private readonly pipeOperators: boolean;
  private pos = 0;
  private state: S = S.INITIAL;
  private readonly stack: S[] = [];
  // Nix's parser location: the last matched lexeme, and a stash of the one before it.
  private locBegin = 0;
  private locEnd = 0;
  private stashBegin = 0;
  private stashEnd = 0;
  private eof: Token | null = null;

  constructor(
    readonly source: Source,
    options: LexerOptions = {},
  ) {
    this.text = source.text;
    this.len = source.text.length;
    this.pipeOperators = options.pipeOperators ?? true;
  }

  /** The next token; after the end of input, the same end-of-file token again. */
  next(): Token {
    if (this.eof) return this.eof;
    let tok: Token;
    switch (this.state) {
      case S.STRING:
        tok = this.lexString();
        break;
      case S.IND_STRING:
        tok = this.lexIndString();
        break;
      case S.INPATH:
      case S.INPATH_SLASH:
        tok = this.lexInPath();
        break;
      default:
        tok = this.lexDefault();
    }
    if (tok.kind === T.EOF) this.eof = tok;
    return tok;
  }

  // --- helpers -------------------------------------------------------------------------------

  private code(i: number): number {
    return i < this.len ? this.text.charCodeAt(i) : -1;
  }

  private is(i: number, bit: number): boolean {
    const c = this.text.charCodeAt(i); // NaN past the end
    return c < 256 && (CLASS[c]! & bit) !== 0;
  }

  /** Consumes `n` bytes as one lexeme, updating the location like Nix's scanner does. */
  private adjust(n: number): void {
    this.stashBegin = this.locBegin;
    this.stashEnd = this.locEnd;
    this.locBegin = this.locEnd;
    this.locEnd += n;
    this.pos += n;
  }

  private tok(kind: T, value: string | number | bigint | null = null, indented = false): Token {
    return { kind, start: this.locBegin, end: this.locEnd, value, indented };
  }

  private eofToken(): Token {
    return { kind: T.EOF, start: this.locEnd, end: this.locEnd, value: null, indented: false };
  }

  private push(s: S): void {
    this.stack.push(this.state);
    this.state = s;
  }

  private pop(): void {
    this.state = this.stack.pop() ?? S.INITIAL;
  }

  private error(message: string, offset: number): never {
    throw new ParseError(message, this.source, offset);
  }

  private scan(i: number, bit: number): number {
    while (this.is(i, bit)) i++;
    return i;
  }

  /** Length of a PATH (`PATH_CHAR*(/PATH_CHAR+)+/?`) at i, or 0. */
  private matchPath(i: number): number {
    let j = this.scan(i, PATH_CHAR);
    let segments = 0;
    while (this.code(j) === 0x2f && this.is(j + 1, PATH_CHAR)) {
      j = this.scan(j + 1, PATH_CHAR);
      segments++;
    }
    if (segments === 0) return 0;
    if (this.code(j) === 0x2f) j++;
    return j - i;
  }

  /** Length of a path prefix ending in `/` directly followed by `${` at i, or 0. */
  private matchPathSegDollar(i: number): number {
    const j = this.scan(i, PATH_CHAR);
    return this.code(j) === 0x2f && this.code(j + 1) === 0x24 && this.code(j + 2) === 0x7b ? j + 3 - i : 0;
  }

  /** Length of a FLOAT at i, or 0. */
  private matchFloat(i: number): number {
    const c = this.code(i);
    let j: number;
    if (c >= 0x31 && c <= 0x39) {
      j = this.scan(i + 1, DIGIT);
      if (this.code(j) !== 0x2e) return 0;
      j = this.scan(j + 1, DIGIT);
    } else if (c === 0x30) {
      if (this.code(i + 1) !== 0x2e || !this.is(i + 2, DIGIT)) return 0;
      j = this.scan(i + 2, DIGIT);
    } else if (c === 0x2e) {
      if (!this.is(i + 1, DIGIT)) return 0;
      j = this.scan(i + 1, DIGIT);
    } else return 0;
    const e = this.code(j);
    if (e === 0x65 || e === 0x45) {
      let k = j + 1;
      const sign = this.code(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (this.is(k, DIGIT)) j = this.scan(k, DIGIT);
    }
    return j - i;
  }

  /** Length of a URI at i (which holds a letter), or 0. */
  private matchUri(i: number): number {
    const j = this.scan(i + 1, SCHEME_CHAR);
    if (this.code(j) !== 0x3a || !this.is(j + 1, URI_CHAR)) return 0;
    return this.scan(j + 1, URI_CHAR) - i;
  }

  /** Length of an HPATH (`~(/PATH_CHAR+)+/?`) at i (which holds `~`), or 0. */
  private matchHomePath(i: number): number {
    let j = i + 1;
    let segments = 0;
    while (this.code(j) === 0x2f && this.is(j + 1, PATH_CHAR)) {
      j = this.scan(j + 1, PATH_CHAR);
      segments++;
    }
    if (segments === 0) return 0;
    if (this.code(j) === 0x2f) j++;
    return j - i;
  }

  /** Length of an SPATH (`<PATH_CHAR+(/PATH_CHAR+)*>`) at i (which holds `<`), or 0. */
  private matchSearchPath(i: number): number {
    let j = this.scan(i + 1, PATH_CHAR);
    if (j === i + 1) return 0;
    while (this.code(j) === 0x2f && this.is(j + 1, PATH_CHAR)) j = this.scan(j + 1, PATH_CHAR);
    return this.code(j) === 0x3e ? j + 1 - i : 0;
  }

  // --- the default state ---------------------------------------------------------------------

  private lexDefault(): Token {
    const text = this.text;
    for (;;) {
      const i = this.pos;
      if (i >= this.len) return this.eofToken();
      const c = text.charCodeAt(i);
      switch (c) {
        case 0x20:
        case 0x09:
        case 0x0a:
        case 0x0d:
          this.adjust(this.scan(i + 1, SPACE) - i);
          continue;
        case 0x23: {
          // `#` comment up to CR or LF.
          let j = i + 1;
          while (j < this.len) {
            const d = text.charCodeAt(j);
            if (d === 0x0a || d === 0x0d) break;
            j++;
          }
          this.adjust(j - i);
          continue;
        }
        case 0x2f: // '/'
          if (this.code(i + 1) === 0x2a) {
            const close = text.indexOf("*/", i + 2);
            if (close >= 0) {
              this.adjust(close + 2 - i);
              continue;
            }
          }
          return this.lexPathOr(i, this.code(i + 1) === 0x2f ? T.UPDATE : T.SLASH);
        case 0x2e: // '.'
          return this.lexNumberOrPath(i);
        case 0x2d: // '-'
          return this.lexPathOr(i, this.code(i + 1) === 0x3e ? T.IMPL : T.MINUS);
        case 0x2b: // '+'
          return this.lexPathOr(i, this.code(i + 1) === 0x2b ? T.CONCAT : T.PLUS);
        case 0x7e: // '~'
          return this.lexHomePath(i);
        case 0x22: // '"'
          this.adjust(1);
          this.push(S.STRING);
          return this.tok(T.QUOTE);
        case 0x27: {
          // `''` opens an indented string (spaces and a newline right after it are dropped).
          if (this.code(i + 1) !== 0x27) {
            this.adjust(1);
            return this.tok(T.INVALID);
          }
          let j = i + 2;
          let k = j;
          while (this.code(k) === 0x20) k++;
          if (this.code(k) === 0x0a) j = k + 1;
          this.adjust(j - i);
          this.push(S.IND_STRING);
          return this.tok(T.IND_STRING_OPEN);
        }
        case 0x24: // '$'
          if (this.code(i + 1) === 0x7b) {
            this.adjust(2);
            this.push(S.DEFAULT);
            return this.tok(T.DOLLAR_CURLY);
          }
          this.adjust(1);
          return this.tok(T.INVALID);
        case 0x7b: // '{'
          this.adjust(1);
          this.push(S.DEFAULT);
          return this.tok(T.LBRACE);
        case 0x7d: // '}'
          this.adjust(1);
          if (this.state !== S.INITIAL) this.pop();
          return this.tok(T.RBRACE);
        case 0x3d: // '='
          return this.op(i, 0x3d, T.EQ, T.EQUALS);
        case 0x21: // '!'
          return this.op(i, 0x3d, T.NEQ, T.BANG);
        case 0x3e: // '>'
          return this.op(i, 0x3d, T.GEQ, T.GT);
        case 0x26: // '&'
          return this.op(i, 0x26, T.AND, T.INVALID);
        case 0x3c: {
          // '<'
          const d = this.code(i + 1);
          if (d === 0x3d) return this.fixed(2, T.LEQ);
          if (d === 0x7c) return this.pipe(T.PIPE_FROM);
          const n = this.matchSearchPath(i);
          if (n > 0) {
            this.adjust(n);
            return this.tok(T.SPATH, text.slice(i, i + n));
          }
          return this.fixed(1, T.LT);
        }
        case 0x7c: {
          // '|'
          const d = this.code(i + 1);
          if (d === 0x7c) return this.fixed(2, T.OR);
          if (d === 0x3e) return this.pipe(T.PIPE_INTO);
          return this.fixed(1, T.INVALID);
        }
        case 0x3a:
          return this.fixed(1, T.COLON);
        case 0x40:
          return this.fixed(1, T.AT);
        case 0x3b:
          return this.fixed(1, T.SEMI);
        case 0x3f:
          return this.fixed(1, T.QUESTION);
        case 0x2a:
          return this.fixed(1, T.STAR);
        case 0x28:
          return this.fixed(1, T.LPAREN);
        case 0x29:
          return this.fixed(1, T.RPAREN);
        case 0x5b:
          return this.fixed(1, T.LBRACKET);
        case 0x5d:
          return this.fixed(1, T.RBRACKET);
        case 0x2c:
          return this.fixed(1, T.COMMA);
        case 0x00:
          // Nix's scanner hands a NUL byte to the parser as "end of file".
          this.adjust(1);
          return { kind: T.EOF, start: this.locBegin, end: this.locEnd, value: null, indented: false };
        default:
          if (c >= 0x30 && c <= 0x39) return this.lexNumberOrPath(i);
          if (c < 256 && CLASS[c]! & ID_START) return this.lexWord(i);
          return this.fixed(1, T.INVALID);
      }
    }
  }

  private fixed(n: number, kind: T): Token {
    this.adjust(n);
    return this.tok(kind);
  }

  private op(i: number, second: number, two: T, one: T): Token {
    return this.code(i + 1) === second ? this.fixed(2, two) : this.fixed(1, one);
  }

  private pipe(kind: T): Token {
    this.adjust(2);
    if (!this.pipeOperators) {
      this.error(
        "experimental Nix feature 'pipe-operators' is disabled; add '--extra-experimental-features pipe-operators' to enable it",
        this.locBegin,
      );
    }
    return this.tok(kind);
  }

  /** A path literal if one starts at i, else the operator `opKind` (its length from the kind). */
  private lexPathOr(i: number, opKind: T): Token {
    const n = opKind === T.UPDATE || opKind === T.IMPL || opKind === T.CONCAT ? 2 : 1;
    return this.tryPath(i, n) ?? this.fixed(n, opKind);
  }

  /**
   * If a path (or a path prefix before `${`) at i is longer than `otherLen`, consumes it, enters
   * the in-path state and returns its token; otherwise returns null.
   */
  private tryPath(i: number, otherLen: number): Token | null {
    const seg = this.matchPathSegDollar(i);
    const path = seg > 0 ? 0 : this.matchPath(i);
    if (seg > 0 && seg > otherLen) {
      const n = seg - 2; // the `${` is lexed again in the in-path state
      this.adjust(n);
      this.push(S.INPATH_SLASH);
      return this.tok(T.PATH, this.text.slice(i, i + n));
    }
    if (path > 0 && path > otherLen) {
      this.adjust(path);
      const value = this.text.slice(i, i + path);
      this.push(value.charCodeAt(value.length - 1) === 0x2f ? S.INPATH_SLASH : S.INPATH);
      return this.tok(T.PATH, value);
    }
    return null;
  }

  private lexHomePath(i: number): Token {
    if (this.code(i + 1) === 0x2f && this.code(i + 2) === 0x24 && this.code(i + 3) === 0x7b) {
      this.adjust(2);
      this.push(S.INPATH_SLASH);
      return this.tok(T.HPATH, "~/");
    }
    const n = this.matchHomePath(i);
    if (n === 0) return this.fixed(1, T.INVALID);
    this.adjust(n);
    const value = this.text.slice(i, i + n);
    this.push(value.charCodeAt(n - 1) === 0x2f ? S.INPATH_SLASH : S.INPATH);
    return this.tok(T.HPATH, value);
  }

  /** Tokens starting with a digit or `.`: INT, FLOAT, `...`, `.`, or a path. */
  private lexNumberOrPath(i: number): Token {
    const c = this.code(i);
    const intLen = c === 0x2e ? 0 : this.scan(i, DIGIT) - i;
    const floatLen = this.matchFloat(i);
    const ellipsis = c === 0x2e && this.code(i + 1) === 0x2e && this.code(i + 2) === 0x2e ? 3 : 0;
    const best = Math.max(intLen, floatLen, ellipsis);
    const path = this.tryPath(i, best);
    if (path) return path;
    if (best === 0) return this.fixed(1, T.DOT);
    if (ellipsis === best) return this.fixed(3, T.ELLIPSIS);
    const start = i;
    if (floatLen > intLen) {
      this.adjust(floatLen);
      const literal = this.text.slice(start, start + floatLen);
      const value = Number(literal);
      const mantissa = literal.replace(/[eE].*$/, "");
      if (
        !Number.isFinite(value) ||
        (value === 0 && /[1-9]/.test(mantissa)) ||
        (value !== 0 && Math.abs(value) < MIN_NORMAL)
      ) {
        this.error(`invalid float '${literal}'`, this.locBegin);
      }
      return this.tok(T.FLOAT, value);
    }
    this.adjust(intLen);
    const literal = this.text.slice(start, start + intLen);
    if (intLen <= 15) {
      let v = 0;
      for (let k = 0; k < intLen; k++) v = v * 10 + (literal.charCodeAt(k) - 0x30);
      return this.tok(T.INT, v);
    }
    const significant = literal.replace(/^0+/, "");
    const big = significant.length > 19 ? MAX_INT64 + 1n : BigInt(literal);
    if (big > MAX_INT64) this.error(`invalid integer '${literal}'`, this.locBegin);
    return this.tok(T.INT, big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big);
  }

  /** Tokens starting with a letter or `_`: keywords, identifiers, paths, URIs. */
  private lexWord(i: number): Token {
    const idEnd = this.scan(i + 1, ID_CHAR);
    const idLen = idEnd - i;
    // Paths and URIs need a `/` or `:` after the first run of path characters.
    const runEnd = this.scan(i, PATH_CHAR);
    const after = this.code(runEnd);
    if (after === 0x2f || after === 0x3a || this.code(idEnd) === 0x3a) {
      const uriLen = this.code(i) !== 0x5f ? this.matchUri(i) : 0;
      const path = this.tryPath(i, Math.max(idLen, uriLen));
      if (path) return path;
      if (uriLen > idLen) {
        this.adjust(uriLen);
        return this.tok(T.URI, this.text.slice(i, i + uriLen));
      }
    }
    this.adjust(idLen);
    const kw = this.keyword(i, idLen);
    return kw !== T.ID ? this.tok(kw) : this.tok(T.ID, internName(this.text.slice(i, idEnd)));
  }

  /** The keyword spelled by the `len` bytes at i, or T.ID (no substring, no hashing). */
  private keyword(i: number, len: number): T {
    const t = this.text;
    const c = t.charCodeAt(i);
    switch (len) {
      case 2:
        if (c === 0x69) {
          const d = t.charCodeAt(i + 1);
          return d === 0x66 ? T.IF : d === 0x6e ? T.IN : T.ID;
        }
        return c === 0x6f && t.charCodeAt(i + 1) === 0x72 ? T.OR_KW : T.ID;
      case 3:
        if (c === 0x6c) return t.startsWith("et", i + 1) ? T.LET : T.ID;
        return c === 0x72 && t.startsWith("ec", i + 1) ? T.REC : T.ID;
      case 4:
        if (c === 0x74) return t.startsWith("hen", i + 1) ? T.THEN : T.ID;
        if (c === 0x65) return t.startsWith("lse", i + 1) ? T.ELSE : T.ID;
        return c === 0x77 && t.startsWith("ith", i + 1) ? T.WITH : T.ID;
      case 6:
        return c === 0x61 && t.startsWith("ssert", i + 1) ? T.ASSERT : T.ID;
      case 7:
        return c === 0x69 && t.startsWith("nherit", i + 1) ? T.INHERIT : T.ID;
      default:
        return T.ID;
    }
  }

  // --- strings ------------------------------------------------------------------------------

  private lexString(): Token {
    const text = this.text;
    const i = this.pos;
    if (i >= this.len) return this.eofToken();
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      this.adjust(1);
      this.pop();
      return this.tok(T.QUOTE);
    }
    if (c === 0x24 && this.code(i + 1) === 0x7b) {
      this.adjust(2);
      this.push(S.DEFAULT);
      return this.tok(T.DOLLAR_CURLY);
    }
    let j = i;
    while (j < this.len) {
      const d = text.charCodeAt(j);
      if (d === 0x22) break;
      if (d === 0x5c) {
        if (j + 1 >= this.len) break;
        j += 2;
        continue;
      }
      if (d === 0x24) {
        if (j + 1 >= this.len) break;
        const n = text.charCodeAt(j + 1);
        if (n === 0x7b) break;
        if (n === 0x22) {
          j += 1; // a `$` right before the closing quote is text
          break;
        }
        if (n === 0x5c) {
          if (j + 2 >= this.len) break;
          j += 3;
          continue;
        }
        j += 2;
        continue;
      }
      j++;
    }
    if (j === i) {
      // A lone `$`, `\` or `$\` at the end of input: Nix's scanner reports end of file.
      this.adjust(c === 0x24 && this.code(i + 1) === 0x5c ? 2 : 1);
      return { kind: T.EOF, start: this.locBegin, end: this.locEnd, value: null, indented: false };
    }
    this.adjust(j - i);
    const raw = text.slice(i, j);
    this.checkNoNul(raw);
    return this.tok(T.STR, unescapeString(raw));
  }

  private lexIndString(): Token {
    const text = this.text;
    const i = this.pos;
    if (i >= this.len) return this.eofToken();
    const c = text.charCodeAt(i);
    if (c === 0x27) {
      const d = this.code(i + 1);
      if (d === 0x27) {
        const e = this.code(i + 2);
        if (e === 0x24) {
          this.adjust(3);
          return this.tok(T.IND_STR, "$");
        }
        if (e === 0x27) {
          this.adjust(3);
          return this.tok(T.IND_STR, "''");
        }
        if (e === 0x5c && i + 3 < this.len) {
          this.adjust(4);
          const raw = text[i + 3]!;
          this.checkNoNul(raw);
          return this.tok(T.IND_STR, unescapeString("\\" + raw));
        }
        this.adjust(2);
        this.pop();
        return this.tok(T.IND_STRING_CLOSE);
      }
      if (d === -1 || d === 0x24) {
        this.adjust(1);
        return this.tok(T.IND_STR, "'");
      }
    } else if (c === 0x24) {
      const d = this.code(i + 1);
      if (d === 0x7b) {
        this.adjust(2);
        this.push(S.DEFAULT);
        return this.tok(T.DOLLAR_CURLY);
      }
      if (d === -1 || d === 0x27) {
        this.adjust(1);
        return this.tok(T.IND_STR, "$");
      }
    }
    let j = i;
    while (j < this.len) {
      const d = text.charCodeAt(j);
      if (d === 0x24 || d === 0x27) {
        if (j + 1 >= this.len) break;
        const n = text.charCodeAt(j + 1);
        if (n === 0x27 || (d === 0x24 ? n === 0x7b : n === 0x24)) break;
        j += 2;
        continue;
      }
      j++;
    }
    this.adjust(j - i);
    const value = text.slice(i, j);
    this.checkNoNul(value);
    return this.tok(T.IND_STR, value, true);
  }

  private checkNoNul(s: string): void {
    if (s.indexOf("\0") >= 0) {
      this.error(
        `input string '${s.replace(/\0/g, utf8Bytes("␀"))}' cannot be represented as Nix string because it contains null bytes`,
        this.locBegin,
      );
    }
  }

  // --- inside paths -------------------------------------------------------------------------

  private lexInPath(): Token {
    const i = this.pos;
    if (i >= this.len) {
      if (this.state === S.INPATH_SLASH) this.error("path has a trailing slash", this.locBegin);
      this.pop();
      this.locBegin = this.stashBegin;
      this.locEnd = this.stashEnd;
      return this.tok(T.PATH_END);
    }
    if (this.code(i) === 0x24 && this.code(i + 1) === 0x7b) {
      this.adjust(2);
      this.pop();
      this.push(S.INPATH);
      this.push(S.DEFAULT);
      return this.tok(T.DOLLAR_CURLY);
    }
    const run = this.scan(i, PATH_CHAR) - i;
    const seg = this.code(i + run) === 0x2f ? run + 1 : 0;
    const n = Math.max(this.matchPath(i), seg, run);
    if (n > 0) {
      this.adjust(n);
      const value = this.text.slice(i, i + n);
      this.pop();
      this.push(value.charCodeAt(n - 1) === 0x2f ? S.INPATH_SLASH : S.INPATH);
      return this.tok(T.STR, value);
    }
    if (this.state === S.INPATH_SLASH) {
      this.adjust(1);
      this.error("path has a trailing slash", this.locBegin);
    }
    // Any other byte ends the path; it is lexed again in the state below. The location stays
    // that of the previous token (Nix's scanner rewinds it the same way).
    this.pop();
    this.stashBegin = this.locBegin;
    this.stashEnd = this.locEnd;
    return this.tok(T.PATH_END);
  }
}

/** Resolves `\n`, `\r`, `\t`, `\X` escapes and turns CR and CRLF into LF (double-quoted strings). */
export function unescapeString(s: string): string {
  if (s.indexOf("\\") < 0 && s.indexOf("\r") < 0) return s;
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c && i + 1 < s.length) {
      out += s.slice(from, i);
      const d = s[i + 1]!;
      out += d === "n" ? "\n" : d === "r" ? "\r" : d === "t" ? "\t" : d;
      i++;
      from = i + 1;
    } else if (c === 0x0d) {
      out += s.slice(from, i) + "\n";
      if (s.charCodeAt(i + 1) === 0x0a) i++;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

/** All tokens of a source up to and including end of file (for tests and tools). */
export function tokenize(source: Source, options?: LexerOptions): Token[] {
  const lexer = new Lexer(source, options);
  const out: Token[] = [];
  for (;;) {
    const t = lexer.next();
    out.push(t);
    if (t.kind === T.EOF) return out;
  }
}
