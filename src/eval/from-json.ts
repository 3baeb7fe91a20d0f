// Parsing JSON text into Nix values (`builtins.fromJSON`). Input and strings are byte strings
// (one char per byte). Syntax errors reproduce the wording of the JSON library Nix uses, including
// its position counting and "last read" excerpt, since users see those messages verbatim.
import { EvalError } from "./errors.js";
import { Attrs, INT64_MAX, INT64_MIN, NixFloat, intFromBigInt, type Value } from "./value.js";

const EOF = -1;

const enum Tok {
  Uninitialized,
  True,
  False,
  Null,
  String,
  Unsigned,
  Integer,
  Float,
  BeginArray,
  BeginObject,
  EndArray,
  EndObject,
  NameSeparator,
  ValueSeparator,
  ParseError,
  EndOfInput,
  LiteralOrValue,
}

function tokenName(t: Tok): string {
  switch (t) {
    case Tok.Uninitialized:
      return "<uninitialized>";
    case Tok.True:
      return "true literal";
    case Tok.False:
      return "false literal";
    case Tok.Null:
      return "null literal";
    case Tok.String:
      return "string literal";
    case Tok.Unsigned:
    case Tok.Integer:
    case Tok.Float:
      return "number literal";
    case Tok.BeginArray:
      return "'['";
    case Tok.BeginObject:
      return "'{'";
    case Tok.EndArray:
      return "']'";
    case Tok.EndObject:
      return "'}'";
    case Tok.NameSeparator:
      return "':'";
    case Tok.ValueSeparator:
      return "','";
    case Tok.ParseError:
      return "<parse error>";
    case Tok.EndOfInput:
      return "end of input";
    case Tok.LiteralOrValue:
      return "'[', '{', or a literal";
  }
}

const CONTROL_NAMES = [
  "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
];
const CONTROL_SHORT: Record<number, string> = { 8: "b", 9: "t", 10: "n", 12: "f", 13: "r" };

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, "0");
}

/** Appends the UTF-8 encoding of code point `cp` as byte chars. */
function utf8Bytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** A JSON syntax error (the caller adds the `while decoding a JSON string` trace). */
export class JSONSyntaxError extends EvalError {}

class Lexer {
  private idx = 0;
  private current = EOF;
  private nextUnget = false;
  private charsReadTotal = 0;
  private charsReadCurrentLine = 0;
  private linesRead = 0;
  /** Raw bytes of the current token (and, as in the original library, whatever preceded it since the last reset). */
  private tokenString: number[] = [];
  /** Decoded value of a string token / text of a number token. */
  buffer: string[] = [];
  errorMessage = "";
  unsigned = 0n;
  integer = 0n;
  float = 0;

  constructor(private readonly text: string) {}

  private get(): number {
    this.charsReadTotal++;
    this.charsReadCurrentLine++;
    if (this.nextUnget) this.nextUnget = false;
    else this.current = this.idx < this.text.length ? this.text.charCodeAt(this.idx++) : EOF;
    if (this.current !== EOF) this.tokenString.push(this.current);
    if (this.current === 10) {
      this.linesRead++;
      this.charsReadCurrentLine = 0;
    }
    return this.current;
  }

  private unget(): void {
    this.nextUnget = true;
    this.charsReadTotal--;
    if (this.charsReadCurrentLine === 0) {
      if (this.linesRead > 0) this.linesRead--;
    } else this.charsReadCurrentLine--;
    if (this.current !== EOF) this.tokenString.pop();
  }

  private reset(): void {
    this.buffer = [];
    this.tokenString = [this.current];
  }

  private add(c: number): void {
    this.buffer.push(String.fromCharCode(c));
  }

  position(): string {
    return `line ${this.linesRead + 1}, column ${this.charsReadCurrentLine}`;
  }

  /** The bytes read for the current token, control characters shown as `<U+XXXX>`. */
  tokenText(): string {
    let out = "";
    for (const c of this.tokenString) out += c <= 0x1f ? `<U+${hex4(c)}>` : String.fromCharCode(c);
    return out;
  }

  scan(): Tok {
    if (this.charsReadTotal === 0 && !this.skipBom()) {
      this.errorMessage = "invalid BOM; must be 0xEF 0xBB 0xBF if given";
      return Tok.ParseError;
    }
    do this.get();
    while (this.current === 32 || this.current === 9 || this.current === 10 || this.current === 13);
    switch (this.current) {
      case 91:
        return Tok.BeginArray;
      case 93:
        return Tok.EndArray;
      case 123:
        return Tok.BeginObject;
      case 125:
        return Tok.EndObject;
      case 58:
        return Tok.NameSeparator;
      case 44:
        return Tok.ValueSeparator;
      case 116:
        return this.scanLiteral("true", Tok.True);
      case 102:
        return this.scanLiteral("false", Tok.False);
      case 110:
        return this.scanLiteral("null", Tok.Null);
      case 34:
        return this.scanString();
      case 45:
      case 48:
      case 49:
      case 50:
      case 51:
      case 52:
      case 53:
      case 54:
      case 55:
      case 56:
      case 57:
        return this.scanNumber();
      case 0:
      case EOF:
        return Tok.EndOfInput;
      default:
        this.errorMessage = "invalid literal";
        return Tok.ParseError;
    }
  }

  private skipBom(): boolean {
    if (this.get() === 0xef) return this.get() === 0xbb && this.get() === 0xbf;
    this.unget();
    return true;
  }

  private scanLiteral(text: string, tok: Tok): Tok {
    for (let i = 1; i < text.length; i++) {
      if (this.get() !== text.charCodeAt(i)) {
        this.errorMessage = "invalid literal";
        return Tok.ParseError;
      }
    }
    return tok;
  }

  private codepoint(): number {
    let cp = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.get();
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 65 && c <= 70) d = c - 55;
      else if (c >= 97 && c <= 102) d = c - 87;
      else return -1;
      cp = cp * 16 + d;
    }
    return cp;
  }

  /** Reads bytes that must fall in the given [lo, hi] ranges (one per byte) after the lead byte. */
  private continuation(ranges: readonly number[]): boolean {
    this.add(this.current);
    for (let i = 0; i < ranges.length; i += 2) {
      const c = this.get();
      if (c >= ranges[i] && c <= ranges[i + 1]) this.add(c);
      else {
        this.errorMessage = "invalid string: ill-formed UTF-8 byte";
        return false;
      }
    }
    return true;
  }

  private scanString(): Tok {
    this.reset();
    for (;;) {
      const c = this.get();
      if (c === EOF) {
        this.errorMessage = "invalid string: missing closing quote";
        return Tok.ParseError;
      }
      if (c === 34) return Tok.String;
      if (c === 92) {
        const e = this.get();
        switch (e) {
          case 34:
          case 92:
          case 47:
            this.add(e);
            continue;
          case 98:
            this.add(8);
            continue;
          case 102:
            this.add(12);
            continue;
          case 110:
            this.add(10);
            continue;
          case 114:
            this.add(13);
            continue;
          case 116:
            this.add(9);
            continue;
          case 117: {
            let cp = this.codepoint();
            if (cp === -1) {
              this.errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
              return Tok.ParseError;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (this.get() === 92 && this.get() === 117) {
                const low = this.codepoint();
                if (low === -1) {
                  this.errorMessage = "invalid string: '\\u' must be followed by 4 hex digits";
                  return Tok.ParseError;
                }
                if (low < 0xdc00 || low > 0xdfff) {
                  this.errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
                  return Tok.ParseError;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
              } else {
                this.errorMessage = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF";
                return Tok.ParseError;
              }
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              this.errorMessage = "invalid string: surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF";
              return Tok.ParseError;
            }
            this.buffer.push(utf8Bytes(cp));
            continue;
          }
          default:
            this.errorMessage = "invalid string: forbidden character after backslash";
            return Tok.ParseError;
        }
      }
      if (c <= 0x1f) {
        const short = CONTROL_SHORT[c];
        this.errorMessage =
          `invalid string: control character U+${hex4(c)} (${CONTROL_NAMES[c]}) must be escaped to \\u${hex4(c)}` +
          (short !== undefined ? ` or \\${short}` : "");
        return Tok.ParseError;
      }
      if (c < 0x80) {
        this.add(c);
        continue;
      }
      let ok: boolean;
      if (c >= 0xc2 && c <= 0xdf) ok = this.continuation([0x80, 0xbf]);
      else if (c === 0xe0) ok = this.continuation([0xa0, 0xbf, 0x80, 0xbf]);
      else if ((c >= 0xe1 && c <= 0xec) || c === 0xee || c === 0xef) ok = this.continuation([0x80, 0xbf, 0x80, 0xbf]);
      else if (c === 0xed) ok = this.continuation([0x80, 0x9f, 0x80, 0xbf]);
      else if (c === 0xf0) ok = this.continuation([0x90, 0xbf, 0x80, 0xbf, 0x80, 0xbf]);
      else if (c >= 0xf1 && c <= 0xf3) ok = this.continuation([0x80, 0xbf, 0x80, 0xbf, 0x80, 0xbf]);
      else if (c === 0xf4) ok = this.continuation([0x80, 0x8f, 0x80, 0xbf, 0x80, 0xbf]);
      else {
        this.errorMessage = "invalid string: ill-formed UTF-8 byte";
        return Tok.ParseError;
      }
      if (!ok) return Tok.ParseError;
    }
  }

  private isDigit(c: number): boolean {
    return c >= 48 && c <= 57;
  }

  private scanNumber(): Tok {
    this.reset();
    let kind: Tok = Tok.Unsigned;
    let c = this.current;
    this.add(c);
    // States of the number grammar; each `get()` reads the next byte.
    let state: "minus" | "zero" | "any1" | "decimal1" | "decimal2" | "exponent" | "sign" | "any2" | "done";
    if (c === 45) {
      kind = Tok.Integer;
      state = "minus";
    } else state = c === 48 ? "zero" : "any1";
    for (;;) {
      if (state === "done") break;
      c = this.get();
      switch (state) {
        case "minus":
          if (c === 48) state = "zero";
          else if (c >= 49 && c <= 57) state = "any1";
          else {
            this.errorMessage = "invalid number; expected digit after '-'";
            return Tok.ParseError;
          }
          this.add(c);
          break;
        case "zero":
        case "any1":
          if (state === "any1" && this.isDigit(c)) this.add(c);
          else if (c === 46) {
            this.add(c);
            state = "decimal1";
          } else if (c === 101 || c === 69) {
            this.add(c);
            state = "exponent";
          } else state = "done";
          break;
        case "decimal1":
          kind = Tok.Float;
          if (this.isDigit(c)) {
            this.add(c);
            state = "decimal2";
          } else {
            this.errorMessage = "invalid number; expected digit after '.'";
            return Tok.ParseError;
          }
          break;
        case "decimal2":
          if (this.isDigit(c)) this.add(c);
          else if (c === 101 || c === 69) {
            this.add(c);
            state = "exponent";
          } else state = "done";
          break;
        case "exponent":
          kind = Tok.Float;
          if (c === 43 || c === 45) {
            this.add(c);
            state = "sign";
          } else if (this.isDigit(c)) {
            this.add(c);
            state = "any2";
          } else {
            this.errorMessage = "invalid number; expected '+', '-', or digit after exponent";
            return Tok.ParseError;
          }
          break;
        case "sign":
          if (this.isDigit(c)) {
            this.add(c);
            state = "any2";
          } else {
            this.errorMessage = "invalid number; expected digit after exponent sign";
            return Tok.ParseError;
          }
          break;
        case "any2":
          if (this.isDigit(c)) this.add(c);
          else state = "done";
          break;
      }
    }
    this.unget();
    const text = this.buffer.join("");
    if (kind === Tok.Unsigned) {
      const n = BigInt(text);
      if (n <= 0xffffffffffffffffn) {
        this.unsigned = n;
        return Tok.Unsigned;
      }
    } else if (kind === Tok.Integer) {
      const n = BigInt(text);
      if (n >= INT64_MIN) {
        this.integer = n;
        return Tok.Integer;
      }
    }
    this.float = Number(text);
    return Tok.Float;
  }

  stringValue(): string {
    return this.buffer.join("");
  }
}

type Frame =
  | { readonly kind: "array"; readonly items: Value[] }
  | { readonly kind: "object"; readonly map: Map<string, Value>; key: string };

function checkNoNul(s: string): string {
  if (s.includes("\0")) {
    throw new EvalError(`input string '${s}' cannot be represented as Nix string because it contains null bytes`);
  }
  return s;
}

/**
 * Parses JSON text (RFC 8259) into a Nix value: objects become sets (the last of duplicate keys
 * wins), integers ints (beyond int64: floats when negative, an error when positive), other
 * numbers floats. Syntax errors throw `JSONSyntaxError`.
 */
export function parseJSON(text: string): Value {
  const lexer = new Lexer(text);
  let last = Tok.Uninitialized as Tok;
  const next = (): Tok => (last = lexer.scan());
  /** The current token (a function, so TypeScript doesn't narrow it across `next()` calls). */
  const tok = (): Tok => last;
  const fail = (expected: Tok, context: string): never => {
    let msg = `syntax error while parsing ${context} - `;
    if (tok() === Tok.ParseError) msg += `${lexer.errorMessage}; last read: '${lexer.tokenText()}'`;
    else msg += `unexpected ${tokenName(tok())}`;
    if (expected !== Tok.Uninitialized) msg += `; expected ${tokenName(expected)}`;
    throw new JSONSyntaxError(`[json.exception.parse_error.101] parse error at ${lexer.position()}: ${msg}`);
  };

  const stack: Frame[] = [];
  next();
  for (;;) {
    let value: Value;
    switch (tok()) {
      case Tok.BeginObject:
        if (next() === Tok.EndObject) {
          value = new Attrs(new Map());
          break;
        }
        if (tok() !== Tok.String) fail(Tok.String, "object key");
        {
          const key = checkNoNul(lexer.stringValue());
          if (next() !== Tok.NameSeparator) fail(Tok.NameSeparator, "object separator");
          stack.push({ kind: "object", map: new Map(), key });
        }
        next();
        continue;
      case Tok.BeginArray:
        if (next() === Tok.EndArray) {
          value = [];
          break;
        }
        stack.push({ kind: "array", items: [] });
        continue;
      case Tok.Float:
        if (!Number.isFinite(lexer.float)) {
          throw new JSONSyntaxError(`[json.exception.out_of_range.406] number overflow parsing '${lexer.tokenText()}'`);
        }
        value = new NixFloat(lexer.float);
        break;
      case Tok.True:
        value = true;
        break;
      case Tok.False:
        value = false;
        break;
      case Tok.Null:
        value = null;
        break;
      case Tok.Integer:
        value = intFromBigInt(lexer.integer);
        break;
      case Tok.Unsigned:
        if (lexer.unsigned > INT64_MAX) {
          throw new EvalError(`unsigned json number ${lexer.unsigned} outside of Nix integer range`);
        }
        value = intFromBigInt(lexer.unsigned);
        break;
      case Tok.String:
        value = checkNoNul(lexer.stringValue());
        break;
      case Tok.ParseError:
        return fail(Tok.Uninitialized, "value");
      default:
        return fail(Tok.LiteralOrValue, "value");
    }
    // A value is complete: hand it to the enclosing array/object, closing those that end here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (next() !== Tok.EndOfInput) fail(Tok.EndOfInput, "value");
        return value;
      }
      if (top.kind === "array") {
        top.items.push(value);
        if (next() === Tok.ValueSeparator) {
          next();
          break;
        }
        if (tok() !== Tok.EndArray) fail(Tok.EndArray, "array");
        value = top.items;
      } else {
        top.map.set(top.key, value);
        if (next() === Tok.ValueSeparator) {
          if (next() !== Tok.String) fail(Tok.String, "object key");
          top.key = checkNoNul(lexer.stringValue());
          if (next() !== Tok.NameSeparator) fail(Tok.NameSeparator, "object separator");
          next();
          break;
        }
        if (tok() !== Tok.EndObject) fail(Tok.EndObject, "object");
        value = new Attrs(top.map);
      }
      stack.pop();
    }
  }
}
