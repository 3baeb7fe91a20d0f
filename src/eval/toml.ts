// A TOML 1.0 parser (pure: text in, tables out) for `builtins.fromTOML`. The input is a byte string
// (one char per byte, UTF-8); strings come out as byte strings too, escapes encoded as UTF-8.

/** Integers are bigints (64-bit checked), floats JS numbers. */
export type TomlValue = string | bigint | number | boolean | TomlDateTime | TomlValue[] | TomlTable;

export type TomlDateTimeKind = "offset-datetime" | "local-datetime" | "local-date" | "local-time";

/** A date and/or time; `text` is its normalised RFC 3339-like form (`1979-05-27T07:32:00Z`). */
export class TomlDateTime {
  constructor(
    readonly kind: TomlDateTimeKind,
    readonly text: string,
  ) {}
}

/**
 * How a table came to exist, which decides how it may be extended later:
 * "implicit" tables (intermediates of a `[a.b.c]` header) may still get their own header once;
 * "header" and "root" tables are complete; "dotted" tables (from `a.b = 1`) accept further dotted
 * keys but no header; "inline" tables are closed.
 */
export type TomlTableOrigin = "root" | "header" | "implicit" | "dotted" | "inline";

export class TomlTable {
  readonly map = new Map<string, TomlValue>();
  constructor(public origin: TomlTableOrigin) {}
}

export class TomlError extends Error {
  constructor(
    message: string,
    /** Byte offset of the problem in the input. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

const DATE_RE = /(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})?)?/y;
const TIME_RE = /(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?/y;
const DEC_INT_RE = /^[+-]?(?:0|[1-9](?:_?[0-9])*)$/;
const HEX_INT_RE = /^0x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*$/;
const OCT_INT_RE = /^0o[0-7](?:_?[0-7])*$/;
const BIN_INT_RE = /^0b[01](?:_?[01])*$/;
const FLOAT_RE = /^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;

function isBareKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

function isValueChar(c: number): boolean {
  return isBareKeyChar(c) || c === 43 || c === 46;
}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Seconds fraction as milli/micro/nanosecond groups, each printed only when it or a later one is non-zero. */
function formatFraction(frac: string | undefined): string {
  if (frac === undefined) return "";
  const digits = (frac + "000000000").slice(0, 9);
  const ms = digits.slice(0, 3), us = digits.slice(3, 6), ns = digits.slice(6, 9);
  if (ns !== "000") return "." + ms + us + ns;
  if (us !== "000") return "." + ms + us;
  if (ms !== "000") return "." + ms;
  return "";
}

class Parser {
  private pos = 0;
  private readonly len: number;
  private readonly root = new TomlTable("root");
  private current: TomlTable = this.root;
  /** Arrays created by `[[…]]` headers (only those may be appended to by later headers). */
  private readonly tableArrays = new WeakSet<TomlValue[]>();

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  private error(message: string, at = this.pos): never {
    throw new TomlError(message, at);
  }

  private peek(offset = 0): number {
    const i = this.pos + offset;
    return i < this.len ? this.text.charCodeAt(i) : -1;
  }

  private skipWs(): void {
    while (this.pos < this.len) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 32 && c !== 9) break;
      this.pos++;
    }
  }

  private atNewline(): boolean {
    const c = this.peek();
    return c === 10 || (c === 13 && this.peek(1) === 10);
  }

  private skipNewline(): void {
    this.pos += this.peek() === 13 ? 2 : 1;
  }

  private skipComment(): void {
    // At '#': runs to the end of the line; control characters other than tab are not allowed.
    this.pos++;
    while (this.pos < this.len) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 10 || (c === 13 && this.peek(1) === 10)) return;
      if ((c < 32 && c !== 9) || c === 127) this.error("control characters are not allowed in comments");
      if (c >= 0x80) this.skipUtf8();
      else this.pos++;
    }
  }

  /** Whitespace, comments and newlines (inside arrays). */
  private skipWsCommentsNewlines(): void {
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === 35) this.skipComment();
      else if (this.atNewline()) this.skipNewline();
      else return;
    }
  }

  /** After an expression: optional whitespace and comment, then a newline or the end. */
  private expectLineEnd(): void {
    this.skipWs();
    if (this.peek() === 35) this.skipComment();
    if (this.pos >= this.len) return;
    if (this.atNewline()) {
      this.skipNewline();
      return;
    }
    this.error("expected a newline or the end of the document after a key-value pair or table header");
  }

  /** Checks one well-formed UTF-8 sequence at `pos` and returns it (as bytes). */
  private skipUtf8(): string {
    const start = this.pos;
    const b = this.text.charCodeAt(start);
    let need: number, lo = 0x80, hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else this.error("invalid UTF-8 byte");
    for (let k = 1; k <= need; k++) {
      const c = start + k < this.len ? this.text.charCodeAt(start + k) : -1;
      if (c < lo || c > hi) this.error("invalid UTF-8 byte", start + k);
      lo = 0x80;
      hi = 0xbf;
    }
    this.pos = start + need + 1;
    return this.text.slice(start, this.pos);
  }

  parse(): TomlTable {
    for (;;) {
      this.skipWs();
      if (this.pos >= this.len) break;
      const c = this.peek();
      if (c === 35) {
        this.skipComment();
        this.expectLineEnd();
      } else if (this.atNewline()) {
        this.skipNewline();
      } else if (c === 91) {
        this.parseHeader();
        this.expectLineEnd();
      } else {
        this.parseKeyValue(this.current);
        this.expectLineEnd();
      }
    }
    return this.root;
  }

  // --- keys and tables ---------------------------------------------------------------------

  private parseSimpleKey(): string {
    const c = this.peek();
    if (c === 34) {
      if (this.text.startsWith('"""', this.pos)) this.error("multi-line strings are not allowed as keys");
      return this.parseBasicString();
    }
    if (c === 39) {
      if (this.text.startsWith("'''", this.pos)) this.error("multi-line strings are not allowed as keys");
      return this.parseLiteralString();
    }
    const start = this.pos;
    while (this.pos < this.len && isBareKeyChar(this.text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) {
      if (this.pos >= this.len || this.atNewline()) this.error("expected a key");
      this.error(`invalid character '${this.text[this.pos]}' in a key`);
    }
    return this.text.slice(start, this.pos);
  }

  /** A possibly dotted key, with whitespace allowed around the dots. */
  private parseKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipWs();
      keys.push(this.parseSimpleKey());
      this.skipWs();
      if (this.peek() !== 46) return keys;
      this.pos++;
    }
  }

  private parseKeyValue(table: TomlTable): void {
    const keyStart = this.pos;
    const keys = this.parseKey();
    if (this.peek() !== 61) {
      if (this.pos >= this.len || this.atNewline()) this.error(`expected '=' after the key '${keys.join(".")}'`);
      this.error(`expected '=' after the key '${keys.join(".")}' but found '${this.text[this.pos]}'`);
    }
    this.pos++;
    this.skipWs();
    if (this.pos >= this.len || this.atNewline() || this.peek() === 35) this.error("expected a value after '='");
    const value = this.parseValue();
    let t = table;
    for (let i = 0; i < keys.length - 1; i++) {
      const existing = t.map.get(keys[i]);
      if (existing === undefined) {
        const nt = new TomlTable("dotted");
        t.map.set(keys[i], nt);
        t = nt;
      } else if (existing instanceof TomlTable && existing.origin === "dotted") {
        t = existing;
      } else {
        this.error(`cannot add the key '${keys.join(".")}': '${keys.slice(0, i + 1).join(".")}' is already defined`, keyStart);
      }
    }
    const last = keys[keys.length - 1];
    if (t.map.has(last)) this.error(`the key '${keys.join(".")}' is defined twice`, keyStart);
    t.map.set(last, value);
  }

  private parseHeader(): void {
    const start = this.pos;
    const isArray = this.peek(1) === 91;
    this.pos += isArray ? 2 : 1;
    const keys = this.parseKey();
    if (this.peek() !== 93 || (isArray && this.peek(1) !== 93)) {
      this.error(isArray ? "expected ']]' to end the array-of-tables header" : "expected ']' to end the table header");
    }
    this.pos += isArray ? 2 : 1;
    const name = keys.join(".");
    let t = this.root;
    for (let i = 0; i < keys.length - 1; i++) {
      const existing = t.map.get(keys[i]);
      if (existing === undefined) {
        const nt = new TomlTable("implicit");
        t.map.set(keys[i], nt);
        t = nt;
      } else if (existing instanceof TomlTable && existing.origin !== "inline") {
        t = existing;
      } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
        t = existing[existing.length - 1] as TomlTable;
      } else {
        this.error(`cannot define the table '${name}': '${keys.slice(0, i + 1).join(".")}' is already defined as a value`, start);
      }
    }
    const last = keys[keys.length - 1];
    const existing = t.map.get(last);
    if (isArray) {
      const table = new TomlTable("header");
      if (existing === undefined) {
        const arr: TomlValue[] = [table];
        this.tableArrays.add(arr);
        t.map.set(last, arr);
      } else if (Array.isArray(existing) && this.tableArrays.has(existing)) {
        existing.push(table);
      } else {
        this.error(`cannot define the array of tables '${name}': it is already defined as another value`, start);
      }
      this.current = table;
      return;
    }
    if (existing === undefined) {
      const table = new TomlTable("header");
      t.map.set(last, table);
      this.current = table;
    } else if (existing instanceof TomlTable && existing.origin === "implicit") {
      existing.origin = "header";
      this.current = existing;
    } else {
      this.error(`the table '${name}' is defined twice`, start);
    }
  }

  // --- values ------------------------------------------------------------------------------

  private parseValue(): TomlValue {
    const c = this.peek();
    if (c === 34) return this.text.startsWith('"""', this.pos) ? this.parseMultilineBasicString() : this.parseBasicString();
    if (c === 39) return this.text.startsWith("'''", this.pos) ? this.parseMultilineLiteralString() : this.parseLiteralString();
    if (c === 91) return this.parseArray();
    if (c === 123) return this.parseInlineTable();
    if (c >= 48 && c <= 57) {
      const dt = this.tryDateTime();
      if (dt !== null) return dt;
    }
    return this.parseScalarToken();
  }

  private parseScalarToken(): TomlValue {
    const start = this.pos;
    while (this.pos < this.len && isValueChar(this.text.charCodeAt(this.pos))) this.pos++;
    const tok = this.text.slice(start, this.pos);
    if (tok === "") this.error(`unexpected character '${this.text[start] ?? ""}' where a value was expected`, start);
    if (tok === "true") return true;
    if (tok === "false") return false;
    if (/^[+-]?inf$/.test(tok)) return tok.startsWith("-") ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(tok)) return NaN;
    let n: bigint | null = null;
    if (DEC_INT_RE.test(tok)) n = BigInt(tok.replace(/_/g, ""));
    else if (HEX_INT_RE.test(tok) || OCT_INT_RE.test(tok) || BIN_INT_RE.test(tok)) n = BigInt(tok.replace(/_/g, ""));
    if (n !== null) {
      if (n > INT64_MAX || n < INT64_MIN) this.error(`integer '${tok}' is out of the range of 64-bit integers`, start);
      return n;
    }
    if (FLOAT_RE.test(tok)) {
      const x = Number(tok.replace(/_/g, ""));
      if (!Number.isFinite(x)) this.error(`float '${tok}' is out of range`, start);
      return x;
    }
    this.error(`invalid value '${tok}'`, start);
  }

  private tryDateTime(): TomlDateTime | null {
    const start = this.pos;
    DATE_RE.lastIndex = start;
    const d = DATE_RE.exec(this.text);
    if (d !== null) {
      const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) this.error(`invalid date '${d[0]}'`, start);
      this.pos = start + d[0].length;
      const date = `${d[1]}-${d[2]}-${d[3]}`;
      if (d[4] === undefined) return new TomlDateTime("local-date", date);
      const time = this.checkTime(d[4], d[5], d[6], d[7], start);
      if (d[8] === undefined) return new TomlDateTime("local-datetime", `${date}T${time}`);
      let offset = "Z";
      if (d[8] !== "Z" && d[8] !== "z") {
        const oh = Number(d[8].slice(1, 3)), om = Number(d[8].slice(4, 6));
        if (oh > 23 || om > 59) this.error(`invalid time offset '${d[8]}'`, start);
        if (oh !== 0 || om !== 0) offset = d[8];
      }
      return new TomlDateTime("offset-datetime", `${date}T${time}${offset}`);
    }
    TIME_RE.lastIndex = start;
    const t = TIME_RE.exec(this.text);
    if (t !== null) {
      const time = this.checkTime(t[1], t[2], t[3], t[4], start);
      this.pos = start + t[0].length;
      return new TomlDateTime("local-time", time);
    }
    return null;
  }

  private checkTime(h: string, m: string, s: string, frac: string | undefined, at: number): string {
    if (Number(h) > 23 || Number(m) > 59 || Number(s) > 60) this.error(`invalid time '${h}:${m}:${s}'`, at);
    return `${h}:${m}:${s}${formatFraction(frac)}`;
  }

  private parseArray(): TomlValue[] {
    const start = this.pos;
    this.pos++;
    const items: TomlValue[] = [];
    for (;;) {
      this.skipWsCommentsNewlines();
      if (this.peek() === 93) {
        this.pos++;
        return items;
      }
      if (this.pos >= this.len) this.error("unterminated array", start);
      items.push(this.parseValue());
      this.skipWsCommentsNewlines();
      const c = this.peek();
      if (c === 44) this.pos++;
      else if (c === 93) {
        this.pos++;
        return items;
      } else if (this.pos >= this.len) this.error("unterminated array", start);
      else this.error("expected ',' or ']' in an array");
    }
  }

  private parseInlineTable(): TomlTable {
    const start = this.pos;
    this.pos++;
    const table = new TomlTable("inline");
    this.skipWs();
    if (this.peek() === 125) {
      this.pos++;
      return table;
    }
    for (;;) {
      this.parseKeyValue(table);
      this.skipWs();
      const c = this.peek();
      if (c === 44) {
        this.pos++;
        this.skipWs();
        if (this.peek() === 125) this.error("trailing comma in an inline table");
        continue;
      }
      if (c === 125) {
        this.pos++;
        closeInline(table);
        return table;
      }
      if (this.pos >= this.len) this.error("unterminated inline table", start);
      if (this.atNewline()) this.error("newlines are not allowed in inline tables");
      this.error("expected ',' or '}' in an inline table");
    }
  }

  // --- strings -----------------------------------------------------------------------------

  /** The escape sequence after a backslash (at `pos`, just after the `\`). */
  private parseEscape(): string {
    const c = this.peek();
    this.pos++;
    switch (c) {
      case 98:
        return "\b";
      case 116:
        return "\t";
      case 110:
        return "\n";
      case 102:
        return "\f";
      case 114:
        return "\r";
      case 34:
        return '"';
      case 92:
        return "\\";
      case 117:
      case 85: {
        const n = c === 117 ? 4 : 8;
        const hex = this.text.slice(this.pos, this.pos + n);
        if (hex.length !== n || !/^[0-9A-Fa-f]+$/.test(hex)) this.error(`'\\${String.fromCharCode(c)}' must be followed by ${n} hex digits`);
        const cp = parseInt(hex, 16);
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) this.error(`'\\${String.fromCharCode(c)}${hex}' is not a Unicode scalar value`);
        this.pos += n;
        return utf8(cp);
      }
      default:
        this.error(`invalid escape sequence '\\${c < 0 ? "" : String.fromCharCode(c)}'`, this.pos - 2);
    }
  }

  private checkStringChar(c: number): void {
    if ((c < 32 && c !== 9) || c === 127) this.error("control characters must be escaped in strings");
  }

  private parseBasicString(): string {
    const start = this.pos;
    this.pos++;
    const parts: string[] = [];
    let run = this.pos;
    for (;;) {
      if (this.pos >= this.len || this.atNewline()) this.error("unterminated string", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) {
        parts.push(this.text.slice(run, this.pos));
        this.pos++;
        return parts.join("");
      }
      if (c === 92) {
        parts.push(this.text.slice(run, this.pos));
        this.pos++;
        parts.push(this.parseEscape());
        run = this.pos;
        continue;
      }
      if (c >= 0x80) {
        this.skipUtf8();
        continue;
      }
      this.checkStringChar(c);
      this.pos++;
    }
  }

  private parseLiteralString(): string {
    const start = this.pos;
    this.pos++;
    const from = this.pos;
    for (;;) {
      if (this.pos >= this.len || this.atNewline()) this.error("unterminated string", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 39) {
        this.pos++;
        return this.text.slice(from, this.pos - 1);
      }
      if (c >= 0x80) {
        this.skipUtf8();
        continue;
      }
      this.checkStringChar(c);
      this.pos++;
    }
  }

  /** Closing delimiter of a multi-line string: 3 quotes, plus up to 2 more that belong to the content. */
  private closingQuotes(q: number): number {
    let n = 0;
    while (this.peek(n) === q) n++;
    if (n < 3) return -1;
    if (n > 5) this.error("too many quotes at the end of a multi-line string");
    return n - 3;
  }

  private parseMultilineBasicString(): string {
    const start = this.pos;
    this.pos += 3;
    if (this.atNewline()) this.skipNewline();
    const parts: string[] = [];
    // Text is copied in runs; `run` is where the current run of literal bytes started.
    let run = this.pos;
    for (;;) {
      if (this.pos >= this.len) this.error("unterminated multi-line string", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 34) {
        const extra = this.closingQuotes(34);
        if (extra >= 0) {
          parts.push(this.text.slice(run, this.pos + extra));
          this.pos += extra + 3;
          return parts.join("");
        }
        this.pos++;
        continue;
      }
      if (c === 92) {
        parts.push(this.text.slice(run, this.pos));
        // A backslash at the end of a line trims all whitespace and newlines that follow.
        let p = this.pos + 1;
        while (p < this.len && (this.text.charCodeAt(p) === 32 || this.text.charCodeAt(p) === 9)) p++;
        const nl = this.text.charCodeAt(p) === 10 || (this.text.charCodeAt(p) === 13 && this.text.charCodeAt(p + 1) === 10);
        if (nl) {
          this.pos = p;
          for (;;) {
            const d = this.peek();
            if (d === 32 || d === 9) this.pos++;
            else if (this.atNewline()) this.skipNewline();
            else break;
          }
        } else {
          this.pos++;
          parts.push(this.parseEscape());
        }
        run = this.pos;
        continue;
      }
      if (this.atNewline()) {
        this.skipNewline();
        continue;
      }
      if (c >= 0x80) {
        this.skipUtf8();
        continue;
      }
      this.checkStringChar(c);
      this.pos++;
    }
  }

  private parseMultilineLiteralString(): string {
    const start = this.pos;
    this.pos += 3;
    if (this.atNewline()) this.skipNewline();
    const from = this.pos;
    for (;;) {
      if (this.pos >= this.len) this.error("unterminated multi-line string", start);
      const c = this.text.charCodeAt(this.pos);
      if (c === 39) {
        const extra = this.closingQuotes(39);
        if (extra >= 0) {
          const s = this.text.slice(from, this.pos + extra);
          this.pos += extra + 3;
          return s;
        }
        this.pos++;
        continue;
      }
      if (this.atNewline()) {
        this.skipNewline();
        continue;
      }
      if (c >= 0x80) {
        this.skipUtf8();
        continue;
      }
      this.checkStringChar(c);
      this.pos++;
    }
  }
}

/** An inline table and the tables its dotted keys created are closed to later additions. */
function closeInline(t: TomlTable): void {
  t.origin = "inline";
  for (const v of t.map.values()) if (v instanceof TomlTable && v.origin === "dotted") closeInline(v);
}

/** Parses a TOML 1.0 document; throws `TomlError` (with a byte offset) when it is invalid. */
export function parseTOML(text: string): TomlTable {
  return new Parser(text).parse();
}

/** 1-based line and column (in bytes) of a byte offset, and the text of that line. */
export function tomlErrorLocation(text: string, offset: number): { line: number; column: number; lineText: string } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = text.indexOf("\n", lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const lineText = text.slice(lineStart, lineEnd).replace(/\r$/, "");
  return { line, column: offset - lineStart + 1, lineText };
}
