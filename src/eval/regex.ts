// Regular expressions for builtins.match / builtins.split (spec §4.7).
//
// Nix hands patterns to C++ `std::regex` with the POSIX *extended* grammar, so the observable
// behaviour is that of libstdc++'s implementation rather than of POSIX itself. This module
// reproduces it on tix byte strings (one JS char per byte, 0–255):
//
//  - Syntax: the extended grammar as the libstdc++ scanner reads it. Escaping an ordinary
//    character (`\d`, `\]`, `\1`, …) is an error, `{` always starts an interval, `]`/`}` are
//    ordinary outside brackets, inside brackets `\` is literal and a leading `]` is literal,
//    `[[:d:]]`/`[[:w:]]`/`[[:s:]]` are accepted class names, collating names come from the POSIX
//    portable character set names, ranges compare bytes as *signed* chars.
//  - Matching: a depth-first backtracking search over an automaton with the same shape as the
//    libstdc++ one. Alternatives are all explored and the longest accepted match wins (first
//    found among equals); a greedy repetition whose "once more" branch reached an accept does not
//    try its "stop here" branch; an empty-bodied loop may be re-entered at most twice at one
//    position. For `match` (the whole string must match) this boils down to "first accepting path
//    in backtracking order".
//  - `split` follows `std::regex_iterator`: after an empty match a non-empty match is tried at the
//    same position (without moving), else the search resumes one byte further on; `^` only
//    matches at the very start of the first search.
//
// Speed: when a pattern is provably answered the same way by a backtracking JS RegExp (no
// optional repetition of something that can match empty, no capture group nested inside a
// repeated atom, and — for split — alternatives that cannot both start at one position) and
// cannot make it backtrack exponentially (no ambiguous loop bodies), it is translated to one;
// otherwise the exact engine below runs. The exact engine keeps its own explicit stack (no
// recursion limit on long inputs) and, once a search takes long, remembers the (state, position,
// loop-guard context) triples from which no accepting path exists, so patterns that are
// exponential in Nix (`(a|a)*b`, `[ab]**`) stay polynomial here.

/** Thrown for patterns that std::regex rejects (not catchable by Nix code). */
export class RegexError extends Error {
  readonly pattern: string;
  /** "invalid": syntax error; "space": the automaton would exceed libstdc++'s state limit. */
  readonly kind: "invalid" | "space";
  constructor(pattern: string, kind: "invalid" | "space" = "invalid") {
    super(
      kind === "space"
        ? `memory limit exceeded by regular expression '${pattern}'`
        : `invalid regular expression '${pattern}'`,
    );
    this.name = "RegexError";
    this.pattern = pattern;
    this.kind = kind;
  }
}

/** One element of a `split` result: unmatched text, or the capture groups of a match. */
export type SplitItem = string | (string | null)[];

export interface CompiledRegex {
  readonly pattern: string;
  /** Number of capture groups (not counting the whole match). */
  readonly groupCount: number;
  /** `builtins.match`: captures if the whole of `s` matches, else null. */
  matchWhole(s: string): (string | null)[] | null;
  /** `builtins.split`: alternating unmatched strings and capture lists (always odd length). */
  split(s: string): SplitItem[];
}

/** Per-evaluation memo of compiled patterns (bounded; oldest entries are dropped first). */
export class RegexCache {
  private readonly map = new Map<string, CompiledRegex>();
  constructor(private readonly maxEntries = 4096) {}

  get(pattern: string): CompiledRegex {
    let re = this.map.get(pattern);
    if (re === undefined) {
      re = compileRegex(pattern);
      if (this.map.size >= this.maxEntries) {
        const oldest = this.map.keys().next();
        if (!oldest.done) this.map.delete(oldest.value);
      }
      this.map.set(pattern, re);
    }
    return re;
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

export function compileRegex(pattern: string): CompiledRegex {
  const parsed = new Parser(pattern).parse();
  return new Regex(pattern, parsed.root, parsed.groups);
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

type Node =
  | { t: "char"; c: number; n: number }
  | { t: "set"; bits: Uint8Array; n: number }
  | { t: "any"; n: number }
  | { t: "bol"; n: number }
  | { t: "eol"; n: number }
  | { t: "group"; k: number; body: Node; n: number }
  | { t: "seq"; items: Node[]; n: number }
  | { t: "alt"; left: Node; right: Node; n: number }
  // min/max repetitions (max -1 = unbounded); `plus` loops back over the same body states.
  | { t: "rep"; body: Node; min: number; max: number; plus: boolean; n: number };
// `n` is the number of reachable automaton states libstdc++ creates for the node, used to
// reproduce its state limit (error_space) on big intervals such as `a{100000}`.

const STATE_LIMIT = 100000;

// ---------------------------------------------------------------------------------------------
// Scanner + parser (mirrors the order in which libstdc++ reads tokens and creates states)

const T_EOF = 0,
  T_ORD = 1,
  T_ANY = 2,
  T_BOL = 3,
  T_EOL = 4,
  T_STAR = 5,
  T_PLUS = 6,
  T_OPT = 7,
  T_OR = 8,
  T_LPAREN = 9,
  T_RPAREN = 10,
  T_BRACKET = 11,
  T_NBRACKET = 12,
  T_BRACKET_END = 13,
  T_DASH = 14,
  T_BRACE = 15,
  T_BRACE_END = 16,
  T_COUNT = 17,
  T_COMMA = 18,
  T_COLL = 19,
  T_EQUIV = 20,
  T_CLASS = 21;

const S_NORMAL = 0,
  S_BRACKET = 1,
  S_BRACE = 2;

/** Characters with a meaning outside brackets; `\` followed by anything else is an error. */
const SPECIAL = ".[\\()*+?{|^$";

// Names usable in [[.x.]] and [[=x=]]: the POSIX portable character set names for 0..127.
const COLLATE_NAMES: readonly string[] = [
  "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "alert", "backspace", "tab", "newline",
  "vertical-tab", "form-feed", "carriage-return", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4",
  "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "IS4", "IS3", "IS2", "IS1", "space",
  "exclamation-mark", "quotation-mark", "number-sign", "dollar-sign", "percent-sign", "ampersand",
  "apostrophe", "left-parenthesis", "right-parenthesis", "asterisk", "plus-sign", "comma",
  "hyphen", "period", "slash", "zero", "one", "two", "three", "four", "five", "six", "seven",
  "eight", "nine", "colon", "semicolon", "less-than-sign", "equals-sign", "greater-than-sign",
  "question-mark", "commercial-at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L",
  "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "left-square-bracket",
  "backslash", "right-square-bracket", "circumflex", "underscore", "grave-accent", "a", "b", "c",
  "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v",
  "w", "x", "y", "z", "left-curly-bracket", "vertical-line", "right-curly-bracket", "tilde", "DEL",
];

// C-locale character classes over bytes (bytes >= 0x80 belong to no class).
function isUpper(b: number): boolean {
  return b >= 65 && b <= 90;
}
function isLower(b: number): boolean {
  return b >= 97 && b <= 122;
}
function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}
function isAlpha(b: number): boolean {
  return isUpper(b) || isLower(b);
}
function isAlnum(b: number): boolean {
  return isAlpha(b) || isDigit(b);
}
function isGraph(b: number): boolean {
  return b >= 33 && b <= 126;
}
function isSpace(b: number): boolean {
  return b === 32 || (b >= 9 && b <= 13);
}
const CLASSES: ReadonlyMap<string, (b: number) => boolean> = new Map([
  ["alnum", isAlnum],
  ["alpha", isAlpha],
  ["blank", (b: number) => b === 32 || b === 9],
  ["cntrl", (b: number) => b < 32 || b === 127],
  ["digit", isDigit],
  ["d", isDigit],
  ["graph", isGraph],
  ["lower", isLower],
  ["print", (b: number) => b >= 32 && b <= 126],
  ["punct", (b: number) => isGraph(b) && !isAlnum(b)],
  ["space", isSpace],
  ["s", isSpace],
  ["upper", isUpper],
  ["w", (b: number) => isAlnum(b) || b === 95],
  ["xdigit", (b: number) => isDigit(b) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)],
]);

function toLowerByte(b: number): number {
  return isUpper(b) ? b + 32 : b;
}
function signedByte(b: number): number {
  return b >= 128 ? b - 256 : b;
}

/** Parses a `{…}` count the way a C `long` accumulates it (wrapping on overflow). */
function countValue(digits: string): bigint {
  let v = 0n;
  for (const d of digits) v = BigInt.asIntN(64, v * 10n + BigInt(d.charCodeAt(0) - 48));
  return v;
}

class Parser {
  private pos = 0;
  private state = S_NORMAL;
  private atBracketStart = false;
  private tok = T_EOF;
  private tokVal = "";
  private val = ""; // value of the last token consumed by match()
  private groups = 0;
  private states = 0;

  constructor(private readonly p: string) {}

  parse(): { root: Node; groups: number } {
    this.advance();
    this.addStates(1); // group 0 begin
    const root = this.disjunction();
    if (!this.match(T_EOF)) this.fail();
    this.addStates(2); // group 0 end, accept
    return { root, groups: this.groups };
  }

  private fail(): never {
    throw new RegexError(this.p);
  }

  private addStates(k: number): void {
    this.states += k;
    if (this.states > STATE_LIMIT) throw new RegexError(this.p, "space");
  }

  private match(tok: number): boolean {
    if (this.tok !== tok) return false;
    this.val = this.tokVal;
    this.advance();
    return true;
  }

  // --- scanner ---

  private advance(): void {
    if (this.pos >= this.p.length) {
      this.tok = T_EOF;
      this.tokVal = "";
      return;
    }
    if (this.state === S_NORMAL) this.scanNormal();
    else if (this.state === S_BRACKET) this.scanBracket();
    else this.scanBrace();
  }

  private scanNormal(): void {
    const p = this.p;
    const c = p[this.pos++]!;
    if (c !== "\0" && !SPECIAL.includes(c)) {
      this.tok = T_ORD;
      this.tokVal = c;
      return;
    }
    switch (c) {
      case "\\": {
        if (this.pos >= p.length) this.fail();
        const d = p[this.pos]!;
        // Only special characters may be escaped (libstdc++ built in strict ISO mode).
        if (d === "\0" || !SPECIAL.includes(d)) this.fail();
        this.pos++;
        this.tok = T_ORD;
        this.tokVal = d;
        return;
      }
      case "(":
        this.tok = T_LPAREN;
        return;
      case ")":
        this.tok = T_RPAREN;
        return;
      case "[":
        this.state = S_BRACKET;
        this.atBracketStart = true;
        if (this.pos < p.length && p[this.pos] === "^") {
          this.pos++;
          this.tok = T_NBRACKET;
        } else this.tok = T_BRACKET;
        return;
      case "{":
        this.state = S_BRACE;
        this.tok = T_BRACE;
        return;
      case "^":
        this.tok = T_BOL;
        return;
      case "$":
        this.tok = T_EOL;
        return;
      case ".":
        this.tok = T_ANY;
        return;
      case "*":
        this.tok = T_STAR;
        return;
      case "+":
        this.tok = T_PLUS;
        return;
      case "?":
        this.tok = T_OPT;
        return;
      default: // "|" and NUL
        this.tok = T_OR;
        return;
    }
  }

  private scanBracket(): void {
    const p = this.p;
    const c = p[this.pos++]!;
    if (c === "-") this.tok = T_DASH;
    else if (c === "[") {
      if (this.pos >= p.length) this.fail();
      const d = p[this.pos]!;
      if (d === "." || d === ":" || d === "=") {
        this.pos++;
        this.tok = d === "." ? T_COLL : d === ":" ? T_CLASS : T_EQUIV;
        this.eatClass(d);
      } else {
        this.tok = T_ORD;
        this.tokVal = c;
      }
    } else if (c === "]" && !this.atBracketStart) {
      this.tok = T_BRACKET_END;
      this.state = S_NORMAL;
    } else {
      this.tok = T_ORD;
      this.tokVal = c;
    }
    this.atBracketStart = false;
  }

  private eatClass(delim: string): void {
    const p = this.p;
    const start = this.pos;
    while (this.pos < p.length && p[this.pos] !== delim) this.pos++;
    this.tokVal = p.slice(start, this.pos);
    if (this.pos >= p.length) this.fail();
    this.pos++;
    if (this.pos >= p.length || p[this.pos] !== "]") this.fail();
    this.pos++;
  }

  private scanBrace(): void {
    const p = this.p;
    const c = p[this.pos++]!;
    if (c >= "0" && c <= "9") {
      const start = this.pos - 1;
      while (this.pos < p.length && p[this.pos]! >= "0" && p[this.pos]! <= "9") this.pos++;
      this.tok = T_COUNT;
      this.tokVal = p.slice(start, this.pos);
    } else if (c === ",") this.tok = T_COMMA;
    else if (c === "}") {
      this.state = S_NORMAL;
      this.tok = T_BRACE_END;
    } else this.fail();
  }

  // --- grammar ---

  private disjunction(): Node {
    let node = this.alternative();
    while (this.match(T_OR)) {
      const right = this.alternative();
      this.addStates(2); // joining dummy + alternative state
      node = { t: "alt", left: node, right, n: node.n + right.n + 2 };
    }
    return node;
  }

  private alternative(): Node {
    const items: Node[] = [];
    let n = 1; // every alternative ends in a dummy state
    for (;;) {
      const term = this.term();
      if (term === null) break;
      items.push(term);
      n += term.n;
    }
    this.addStates(1);
    return items.length === 1 ? { ...items[0]!, n: items[0]!.n + 1 } : { t: "seq", items, n };
  }

  private term(): Node | null {
    if (this.match(T_BOL)) {
      this.addStates(1);
      return { t: "bol", n: 1 };
    }
    if (this.match(T_EOL)) {
      this.addStates(1);
      return { t: "eol", n: 1 };
    }
    let atom = this.atom();
    if (atom === null) return null;
    for (;;) {
      const q = this.quantifier(atom);
      if (q === null) return atom;
      atom = q;
    }
  }

  private atom(): Node | null {
    if (this.match(T_ANY)) {
      this.addStates(1);
      return { t: "any", n: 1 };
    }
    if (this.match(T_ORD)) {
      this.addStates(1);
      return { t: "char", c: this.val.charCodeAt(0), n: 1 };
    }
    if (this.match(T_LPAREN)) {
      this.addStates(1);
      const k = ++this.groups;
      const body = this.disjunction();
      if (!this.match(T_RPAREN)) this.fail();
      this.addStates(1);
      return { t: "group", k, body, n: body.n + 2 };
    }
    if (this.tok === T_BRACKET || this.tok === T_NBRACKET) {
      const neg = this.tok === T_NBRACKET;
      this.advance();
      const bits = this.bracket(neg);
      this.addStates(1);
      return { t: "set", bits, n: 1 };
    }
    return null;
  }

  private quantifier(atom: Node): Node | null {
    if (this.match(T_STAR)) {
      this.addStates(1);
      return { t: "rep", body: atom, min: 0, max: -1, plus: false, n: atom.n + 1 };
    }
    if (this.match(T_PLUS)) {
      this.addStates(1);
      return { t: "rep", body: atom, min: 1, max: -1, plus: true, n: atom.n + 1 };
    }
    if (this.match(T_OPT)) {
      this.addStates(2);
      return { t: "rep", body: atom, min: 0, max: 1, plus: false, n: atom.n + 2 };
    }
    if (!this.match(T_BRACE)) return null;
    if (!this.match(T_COUNT)) this.fail();
    this.addStates(1); // leading dummy
    const min = countValue(this.val);
    let infinite = false;
    let extra = 0n;
    if (this.match(T_COMMA)) {
      if (this.match(T_COUNT)) extra = BigInt.asIntN(64, countValue(this.val) - min);
      else infinite = true;
    }
    if (!this.match(T_BRACE_END)) this.fail();
    const body = atom.n;
    // The mandatory copies are made before the bounds are checked.
    const copies = min > 0n ? min : 0n;
    if (BigInt(this.states) + copies * BigInt(body) > BigInt(STATE_LIMIT)) throw new RegexError(this.p, "space");
    this.addStates(Number(copies) * body);
    let n = 1 + Number(copies) * body;
    if (infinite) {
      this.addStates(body + 1);
      n += body + 1;
    } else {
      if (extra < 0n) this.fail();
      this.addStates(1); // trailing dummy
      if (BigInt(this.states) + extra * BigInt(body + 1) > BigInt(STATE_LIMIT)) throw new RegexError(this.p, "space");
      this.addStates(Number(extra) * (body + 1));
      n += 1 + Number(extra) * (body + 1);
    }
    return {
      t: "rep",
      body: atom,
      min: Number(copies),
      max: infinite ? -1 : Number(copies) + Number(extra),
      plus: false,
      n,
    };
  }

  /** Parses the inside of `[…]` (the opening token already consumed) into a byte set. */
  private bracket(neg: boolean): Uint8Array {
    const chars: number[] = [];
    const ranges: [number, number][] = [];
    const classes: ((b: number) => boolean)[] = [];
    const equivs: number[] = [];
    // The pending single character (may still become the start of a range).
    let lastKind: "none" | "char" | "class" = "none";
    let last = 0;
    const pushChar = (c: number): void => {
      if (lastKind === "char") chars.push(last);
      lastKind = "char";
      last = c;
    };
    const pushClass = (): void => {
      if (lastKind === "char") chars.push(last);
      lastKind = "class";
    };
    const collate = (name: string): number => {
      const i = COLLATE_NAMES.indexOf(name);
      if (i < 0) this.fail();
      return i;
    };

    if (this.match(T_ORD)) {
      lastKind = "char";
      last = this.val.charCodeAt(0);
    } else if (this.match(T_DASH)) {
      lastKind = "char";
      last = 45;
    }
    for (;;) {
      if (this.match(T_BRACKET_END)) break;
      if (this.match(T_COLL)) {
        const c = collate(this.val);
        chars.push(c);
        pushChar(c);
      } else if (this.match(T_EQUIV)) {
        pushClass();
        equivs.push(toLowerByte(collate(this.val)));
      } else if (this.match(T_CLASS)) {
        pushClass();
        const cls = CLASSES.get(this.val.toLowerCase());
        if (cls === undefined) this.fail();
        classes.push(cls);
      } else if (this.match(T_ORD)) {
        pushChar(this.val.charCodeAt(0));
      } else if (this.match(T_DASH)) {
        if (this.match(T_BRACKET_END)) {
          pushChar(45);
          break;
        }
        if (lastKind !== "char") this.fail();
        let hi: number;
        if (this.match(T_ORD)) hi = this.val.charCodeAt(0);
        else if (this.match(T_DASH)) hi = 45;
        else this.fail();
        const lo = signedByte(last);
        const shi = signedByte(hi);
        if (lo > shi) this.fail();
        ranges.push([lo, shi]);
        lastKind = "none";
      } else this.fail();
    }
    if (lastKind === "char") chars.push(last);

    const bits = new Uint8Array(256);
    for (let b = 0; b < 256; b++) {
      let hit = chars.includes(b);
      if (!hit) {
        const sb = signedByte(b);
        hit = ranges.some(([lo, hi]) => lo <= sb && sb <= hi);
      }
      if (!hit) hit = classes.some((f) => f(b));
      if (!hit) hit = equivs.includes(toLowerByte(b));
      bits[b] = hit !== neg ? 1 : 0;
    }
    return bits;
  }
}

// ---------------------------------------------------------------------------------------------
// Static analysis for the fast path

const ALL_BYTES = new Uint8Array(256).fill(1);
const ANY_BYTES = (() => {
  const a = new Uint8Array(256).fill(1);
  a[0] = 0;
  return a;
})();

/** Can the node succeed without consuming input? (Assertions count as "may".) */
function nullable(n: Node): boolean {
  switch (n.t) {
    case "char":
    case "set":
    case "any":
      return false;
    case "bol":
    case "eol":
      return true;
    case "group":
      return nullable(n.body);
    case "seq":
      return n.items.every(nullable);
    case "alt":
      return nullable(n.left) || nullable(n.right);
    case "rep":
      return n.min === 0 || nullable(n.body);
  }
}

/** Bytes that can be consumed first by the node (added into `out`). */
function firstSet(n: Node, out: Uint8Array): void {
  const or = (s: Uint8Array): void => {
    for (let i = 0; i < 256; i++) out[i] |= s[i]!;
  };
  switch (n.t) {
    case "char":
      out[n.c] = 1;
      return;
    case "set":
      or(n.bits);
      return;
    case "any":
      or(ANY_BYTES);
      return;
    case "bol":
    case "eol":
      return;
    case "group":
      firstSet(n.body, out);
      return;
    case "seq":
      for (const item of n.items) {
        firstSet(item, out);
        if (!nullable(item)) return;
      }
      return;
    case "alt":
      firstSet(n.left, out);
      firstSet(n.right, out);
      return;
    case "rep":
      if (n.max !== 0) firstSet(n.body, out);
      return;
  }
}

function containsGroup(n: Node): boolean {
  switch (n.t) {
    case "group":
      return true;
    case "seq":
      return n.items.some(containsGroup);
    case "alt":
      return containsGroup(n.left) || containsGroup(n.right);
    case "rep":
      return containsGroup(n.body);
    default:
      return false;
  }
}

function altBranches(n: Node, out: Node[]): Node[] {
  if (n.t === "alt") {
    altBranches(n.left, out);
    out.push(n.right);
  } else out.push(n);
  return out;
}

/**
 * Is a JS backtracking RegExp guaranteed to find the same first accepting path? Differences
 * arise only from empty loop iterations (JS rejects them, libstdc++ allows up to two) and from
 * JS resetting captures nested inside a repeated atom at each iteration.
 */
function jsCompatible(n: Node): boolean {
  switch (n.t) {
    case "group":
      return jsCompatible(n.body);
    case "seq":
      return n.items.every(jsCompatible);
    case "alt":
      return jsCompatible(n.left) && jsCompatible(n.right);
    case "rep": {
      const optional = n.max === -1 || n.max > n.min;
      if (optional && (nullable(n.body) || !unambiguousLoopBody(n.body))) return false;
      const inner = n.body.t === "group" ? n.body.body : n.body;
      if (containsGroup(inner)) return false;
      return jsCompatible(n.body);
    }
    default:
      return true;
  }
}

/**
 * A JS RegExp backtracks without memory, so a loop whose body can consume the same text in
 * several ways (`(a|a)*`, `(a+)+`) takes exponential time on a failing input; such patterns are
 * left to the exact engine, which remembers failed (state, position) pairs. Accepted loop bodies
 * contain no further optional repetition and only alternatives that cannot start alike.
 */
function unambiguousLoopBody(n: Node): boolean {
  switch (n.t) {
    case "group":
      return unambiguousLoopBody(n.body);
    case "seq":
      return n.items.every(unambiguousLoopBody);
    case "alt":
      return alternativesDisjoint(n);
    case "rep":
      return n.max === n.min && unambiguousLoopBody(n.body);
    default:
      return true;
  }
}

/**
 * For searches, libstdc++ keeps exploring the remaining alternatives after an accept to find a
 * longer one. That cannot change anything when at every alternation the branches each consume
 * input and cannot start with the same byte.
 */
function alternativesDisjoint(n: Node): boolean {
  switch (n.t) {
    case "group":
      return alternativesDisjoint(n.body);
    case "seq":
      return n.items.every(alternativesDisjoint);
    case "rep":
      return alternativesDisjoint(n.body);
    case "alt": {
      const branches = altBranches(n, []);
      const seen = new Uint8Array(256);
      for (const b of branches) {
        if (nullable(b) || !alternativesDisjoint(b)) return false;
        const f = new Uint8Array(256);
        firstSet(b, f);
        for (let i = 0; i < 256; i++) {
          if (f[i] && seen[i]) return false;
          seen[i] |= f[i]!;
        }
      }
      return true;
    }
    default:
      return true;
  }
}

function hexByte(c: number): string {
  return "\\x" + c.toString(16).padStart(2, "0");
}
function jsChar(c: number): string {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? String.fromCharCode(c) : hexByte(c);
}
function jsClass(bits: Uint8Array): string {
  let count = 0;
  for (let i = 0; i < 256; i++) count += bits[i]!;
  if (count === 256) return "[^]";
  let out = "[";
  for (let i = 0; i < 256; ) {
    if (!bits[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < 256 && bits[j + 1]) j++;
    out += j === i ? jsChar(i) : j === i + 1 ? jsChar(i) + jsChar(j) : jsChar(i) + "-" + jsChar(j);
    i = j + 1;
  }
  return out + "]";
}

/** JS RegExp source equivalent to the node (valid only when jsCompatible holds). */
function toJs(n: Node): string {
  switch (n.t) {
    case "char":
      return jsChar(n.c);
    case "set":
      return jsClass(n.bits);
    case "any":
      return "[^\\x00]";
    case "bol":
      return "^";
    case "eol":
      return "$";
    case "group":
      return "(" + toJs(n.body) + ")";
    case "seq":
      return n.items.map((i) => (i.t === "alt" ? "(?:" + toJs(i) + ")" : toJs(i))).join("");
    case "alt":
      return altBranches(n, []).map(toJs).join("|");
    case "rep": {
      const b = n.body;
      const atom = b.t === "char" || b.t === "set" || b.t === "any" || b.t === "group" ? toJs(b) : "(?:" + toJs(b) + ")";
      let q: string;
      if (n.max === -1) q = n.min === 0 ? "*" : n.min === 1 ? "+" : `{${n.min},}`;
      else if (n.min === 0 && n.max === 1) q = "?";
      else q = n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
      return atom + q;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Automaton + exact backtracking engine

const OP_CHAR = 0,
  OP_SET = 1,
  OP_ANY = 2,
  OP_BOL = 3,
  OP_EOL = 4,
  OP_OPEN = 5,
  OP_CLOSE = 6,
  OP_REPEAT = 7, // alt = "once more" (tried first), next = "stop"
  OP_ALT = 8, // alt = left branch (tried first), next = right branch
  OP_ACCEPT = 9;

// Stack frame kinds.
const F_CALL = 0, // (state, pos)
  F_OPEN_UNDO = 1, // (group, old start)
  F_CLOSE_UNDO = 2, // (group, old end, old matched)
  F_REP_UNDO = 3, // (state, old pos, old count)
  F_REP_DEC = 4, // (state)
  F_REPEAT_EXIT = 5, // (next state, pos)
  F_ALT_SECOND = 6, // (next state, pos)
  F_ALT_JOIN = 7, // (saved has-solution flag)
  F_MEMO = 8; // (memo slot, pos)

interface SearchResult {
  start: number;
  end: number;
  caps: (string | null)[];
}

class Automaton {
  readonly op: Int32Array;
  readonly next: Int32Array;
  readonly alt: Int32Array;
  readonly arg: Int32Array;
  readonly sets: Uint8Array;
  readonly start: number;
  readonly ngroups: number; // including group 0
  readonly memoSlot: Int32Array;
  readonly memoSlots: number;
  /** Per state: weight of its loop count in the memo context (0: the count never matters). */
  readonly ctxWeight: Float64Array;
  readonly first: Uint8Array;
  readonly canBeEmpty: boolean;

  // Scratch state, reused between runs (matching never re-enters itself).
  private capStart: Int32Array;
  private capEnd: Int32Array;
  private capMatched: Uint8Array;
  private resStart: Int32Array;
  private resEnd: Int32Array;
  private resMatched: Uint8Array;
  private repPos: Int32Array;
  private repCnt: Int32Array;
  private stack = new Int32Array(1024);

  constructor(root: Node, groups: number) {
    const op: number[] = [];
    const next: number[] = [];
    const alt: number[] = [];
    const arg: number[] = [];
    const sets: Uint8Array[] = [];
    const add = (o: number, nx: number, a: number, g: number): number => {
      op.push(o);
      next.push(nx);
      alt.push(-1);
      arg.push(g);
      if (a >= 0) alt[op.length - 1] = a;
      return op.length - 1;
    };
    // Builds `n` followed by the state `cont`; returns the entry state.
    const emit = (n: Node, cont: number): number => {
      switch (n.t) {
        case "char":
          return add(OP_CHAR, cont, -1, n.c);
        case "set":
          sets.push(n.bits);
          return add(OP_SET, cont, -1, sets.length - 1);
        case "any":
          return add(OP_ANY, cont, -1, 0);
        case "bol":
          return add(OP_BOL, cont, -1, 0);
        case "eol":
          return add(OP_EOL, cont, -1, 0);
        case "group": {
          const close = add(OP_CLOSE, cont, -1, n.k);
          return add(OP_OPEN, emit(n.body, close), -1, n.k);
        }
        case "seq": {
          let s = cont;
          for (let i = n.items.length - 1; i >= 0; i--) s = emit(n.items[i]!, s);
          return s;
        }
        case "alt": {
          const l = emit(n.left, cont);
          const r = emit(n.right, cont);
          return add(OP_ALT, r, l, 0);
        }
        case "rep": {
          if (n.plus) {
            const r = add(OP_REPEAT, cont, -1, 0);
            const b = emit(n.body, r);
            alt[r] = b;
            return b;
          }
          let tail: number;
          if (n.max === -1) {
            tail = add(OP_REPEAT, cont, -1, 0);
            alt[tail] = emit(n.body, tail);
          } else {
            tail = cont;
            for (let i = n.max - n.min; i > 0; i--) {
              const r = add(OP_REPEAT, cont, -1, 0);
              alt[r] = emit(n.body, tail);
              tail = r;
            }
          }
          for (let i = 0; i < n.min; i++) tail = emit(n.body, tail);
          return tail;
        }
      }
    };
    const accept = add(OP_ACCEPT, -1, -1, 0);
    const close0 = add(OP_CLOSE, accept, -1, 0);
    this.start = add(OP_OPEN, emit(root, close0), -1, 0);

    this.op = Int32Array.from(op);
    this.next = Int32Array.from(next);
    this.alt = Int32Array.from(alt);
    this.arg = Int32Array.from(arg);
    this.sets = new Uint8Array(sets.length * 256);
    sets.forEach((s, i) => this.sets.set(s, i * 256));
    this.ngroups = groups + 1;
    this.memoSlot = new Int32Array(op.length).fill(-1);
    let slots = 0;
    for (let i = 0; i < op.length; i++) if (op[i] === OP_REPEAT || op[i] === OP_ALT) this.memoSlot[i] = slots++;
    this.ctxWeight = new Float64Array(op.length);
    const loops = this.emptyCycleLoops();
    if (loops === null || loops.length > 30) slots = 0; // no memo: contexts would not fit
    else loops.forEach((i, k) => (this.ctxWeight[i] = 3 ** k));
    this.memoSlots = slots;
    this.first = new Uint8Array(256);
    firstSet(root, this.first);
    this.canBeEmpty = nullable(root);

    const g = this.ngroups;
    this.capStart = new Int32Array(g).fill(-1);
    this.capEnd = new Int32Array(g).fill(-1);
    this.capMatched = new Uint8Array(g);
    this.resStart = new Int32Array(g);
    this.resEnd = new Int32Array(g);
    this.resMatched = new Uint8Array(g);
    this.repPos = new Int32Array(op.length).fill(-1);
    this.repCnt = new Int32Array(op.length);
  }

  /**
   * Loop states that can be re-entered without consuming input (through an empty iteration of
   * themselves or of an enclosing loop): only for these does the empty-loop guard ever refuse,
   * so only their counts at the current position influence what a search can find. Null if the
   * automaton is too big to analyse.
   */
  private emptyCycleLoops(): number[] | null {
    const { op, next, alt } = this;
    const size = op.length;
    const repeats: number[] = [];
    for (let i = 0; i < size; i++) if (op[i] === OP_REPEAT) repeats.push(i);
    if (repeats.length * size > 4_000_000) return null;
    const seen = new Int32Array(size).fill(-1);
    const work: number[] = [];
    const out: number[] = [];
    for (const r of repeats) {
      work.length = 0;
      work.push(alt[r]!, next[r]!);
      let found = false;
      while (work.length > 0 && !found) {
        const u = work.pop()!;
        if (u < 0 || seen[u] === r) continue;
        if (u === r) found = true;
        seen[u] = r;
        const o = op[u];
        if (o === OP_CHAR || o === OP_SET || o === OP_ANY || o === OP_ACCEPT) continue; // consumes or ends
        work.push(next[u]!);
        if (o === OP_REPEAT || o === OP_ALT) work.push(alt[u]!);
      }
      if (found) out.push(r);
    }
    return out;
  }

  /** Recomputes the per-position loop-count context from the current loop counts. */
  private initContext(ctxAt: Float64Array): void {
    const { repPos, repCnt, ctxWeight } = this;
    ctxAt.fill(0);
    for (let i = 0; i < ctxWeight.length; i++) {
      if (ctxWeight[i] !== 0 && repCnt[i]! > 0) ctxAt[repPos[i]!] += repCnt[i]! * ctxWeight[i]!;
    }
  }

  /**
   * One depth-first run from `begin` (libstdc++'s _M_main). Returns the end of the chosen match
   * or -1; captures are left in res*.
   */
  private run(
    s: string,
    begin: number,
    exact: boolean,
    notNull: boolean,
    prevAvail: boolean,
    memo: Memo,
  ): number {
    const { op, next, alt, arg, sets, memoSlot, capStart, capEnd, capMatched, repPos, repCnt, ctxWeight } = this;
    const n = s.length;
    const width = n + 1;
    let stack = this.stack;
    let sp = 0;
    let hasSol = false;
    let solPos = -1;
    let done = false;
    const memoFromPos = exact ? 0 : begin + 1;

    const push = (a: number, b: number, c: number, d: number): void => {
      if (sp + 4 > stack.length) {
        const bigger = new Int32Array(stack.length * 2);
        bigger.set(stack);
        stack = this.stack = bigger;
      }
      stack[sp] = a;
      stack[sp + 1] = b;
      stack[sp + 2] = c;
      stack[sp + 3] = d;
      sp += 4;
    };

    // Sets a loop's (position, count); keeps the memo context in step.
    const setRep = (r: number, toPos: number, toCnt: number): void => {
      const ctxAt = memo.ctxAt;
      if (ctxAt !== null && ctxWeight[r] !== 0) {
        if (repCnt[r]! > 0) ctxAt[repPos[r]!] -= repCnt[r]! * ctxWeight[r]!;
        if (toCnt > 0) ctxAt[toPos] += toCnt * ctxWeight[r]!;
      }
      repPos[r] = toPos;
      repCnt[r] = toCnt;
    };

    push(F_CALL, this.start, begin, 0);
    while (sp > 0) {
      sp -= 4;
      const kind = stack[sp]!;
      const fa = stack[sp + 1]!;
      const fb = stack[sp + 2]!;
      const fc = stack[sp + 3]!;
      if (done) {
        // Unwinding after the final answer: only restore the scratch state.
        if (kind === F_OPEN_UNDO) capStart[fa] = fb;
        else if (kind === F_CLOSE_UNDO) {
          capEnd[fa] = fb;
          capMatched[fa] = fc;
        } else if (kind === F_REP_UNDO) setRep(fa, fb, fc);
        else if (kind === F_REP_DEC) setRep(fa, repPos[fa]!, repCnt[fa]! - 1);
        continue;
      }
      let i: number;
      let pos: number;
      switch (kind) {
        case F_CALL:
          i = fa;
          pos = fb;
          break;
        case F_OPEN_UNDO:
          capStart[fa] = fb;
          continue;
        case F_CLOSE_UNDO:
          capEnd[fa] = fb;
          capMatched[fa] = fc;
          continue;
        case F_REP_UNDO:
          setRep(fa, fb, fc);
          continue;
        case F_REP_DEC:
          setRep(fa, repPos[fa]!, repCnt[fa]! - 1);
          continue;
        case F_REPEAT_EXIT:
          if (hasSol) continue;
          i = fa;
          pos = fb;
          break;
        case F_ALT_SECOND:
          push(F_ALT_JOIN, hasSol ? 1 : 0, 0, 0);
          hasSol = false;
          i = fa;
          pos = fb;
          break;
        case F_ALT_JOIN:
          if (fa) hasSol = true;
          continue;
        case F_MEMO:
          if (!hasSol) memo.set(memo.ctxAt![fb]!, fa * width + fb);
          continue;
        default:
          throw new Error("regex: bad frame");
      }

      // Depth-first descent from (i, pos); single-successor states are followed in place.
      for (;;) {
        memo.steps++;
        const o = op[i]!;
        if (o === OP_CHAR) {
          if (pos < n && s.charCodeAt(pos) === arg[i]) {
            pos++;
            i = next[i]!;
            continue;
          }
          break;
        }
        if (o === OP_SET) {
          if (pos < n && sets[arg[i]! * 256 + s.charCodeAt(pos)]) {
            pos++;
            i = next[i]!;
            continue;
          }
          break;
        }
        if (o === OP_ANY) {
          if (pos < n && s.charCodeAt(pos) !== 0) {
            pos++;
            i = next[i]!;
            continue;
          }
          break;
        }
        if (o === OP_OPEN) {
          const k = arg[i]!;
          push(F_OPEN_UNDO, k, capStart[k]!, 0);
          capStart[k] = pos;
          i = next[i]!;
          continue;
        }
        if (o === OP_CLOSE) {
          const k = arg[i]!;
          push(F_CLOSE_UNDO, k, capEnd[k]!, capMatched[k]!);
          capEnd[k] = pos;
          capMatched[k] = 1;
          i = next[i]!;
          continue;
        }
        if (o === OP_REPEAT || o === OP_ALT) {
          if (memo.ctxAt !== null && pos >= memoFromPos) {
            const key = memoSlot[i]! * width + pos;
            if (memo.has(memo.ctxAt[pos]!, key)) break;
            push(F_MEMO, memoSlot[i]!, pos, 0);
          }
          if (o === OP_ALT) {
            push(F_ALT_SECOND, next[i]!, pos, 0);
            i = alt[i]!;
            continue;
          }
          push(F_REPEAT_EXIT, next[i]!, pos, 0);
          // The empty-loop guard: a loop is entered at most twice at one position.
          if (repCnt[i] === 0 || repPos[i] !== pos) {
            push(F_REP_UNDO, i, repPos[i]!, repCnt[i]!);
            setRep(i, pos, 1);
            i = alt[i]!;
            continue;
          }
          if (repCnt[i]! < 2) {
            push(F_REP_DEC, i, 0, 0);
            setRep(i, pos, 2);
            i = alt[i]!;
            continue;
          }
          break;
        }
        if (o === OP_BOL) {
          if (pos === begin && !prevAvail) {
            i = next[i]!;
            continue;
          }
          break;
        }
        if (o === OP_EOL) {
          if (pos === n) {
            i = next[i]!;
            continue;
          }
          break;
        }
        // OP_ACCEPT
        let ok = exact ? pos === n : true;
        if (pos === begin && notNull) ok = false;
        if (ok) {
          hasSol = true;
          if (solPos < 0 || solPos < pos) {
            solPos = pos;
            this.resStart.set(capStart);
            this.resEnd.set(capEnd);
            this.resMatched.set(capMatched);
          }
          // Nothing found later can be longer: the answer is final.
          if (exact || pos === n) done = true;
        }
        break;
      }
      if (memo.ctxAt === null && memo.steps > memo.threshold) {
        if (memo.enable(this.memoSlots * width, width)) this.initContext(memo.ctxAt!);
      }
    }
    return hasSol ? solPos : -1;
  }

  private captures(s: string): (string | null)[] {
    const out: (string | null)[] = [];
    for (let k = 1; k < this.ngroups; k++) {
      out.push(this.resMatched[k] ? s.slice(this.resStart[k], this.resEnd[k]) : null);
    }
    return out;
  }

  /** std::regex_match */
  matchWhole(s: string): (string | null)[] | null {
    const memo = new Memo(s.length);
    if (this.run(s, 0, true, false, false, memo) < 0) return null;
    return this.captures(s);
  }

  /** std::regex_search from `from` (with match_continuous: only at `from`). */
  search(s: string, from: number, prevAvail: boolean, notNull: boolean, continuous: boolean, memo: Memo): SearchResult | null {
    const n = s.length;
    for (let p = from; p <= n; p++) {
      const pa = prevAvail || p > from;
      if (!this.canBeEmpty && (p === n || !this.first[s.charCodeAt(p)])) {
        if (continuous) return null;
        continue;
      }
      const end = this.run(s, p, false, notNull, pa, memo);
      if (end >= 0) return { start: p, end, caps: this.captures(s) };
      if (continuous) return null;
    }
    return null;
  }
}

/**
 * Remembers (state, position, context) triples from which no accepting path exists; enabled
 * lazily once a search is taking long. Captures never influence matching, so such a failure
 * depends only on where the search is and on the empty-loop guard: how often each loop that can
 * be re-entered without consuming input has already been entered at this position (the
 * "context", one base-3 digit per such loop). Guard decisions at later positions depend only on
 * the explored subtree itself.
 */
class Memo {
  steps = 0;
  threshold: number;
  /** Per position: the context (sum of count * weight of loops last entered there). */
  ctxAt: Float64Array | null = null;
  private size = 0;
  private readonly byContext = new Map<number, Uint32Array>();

  constructor(len: number) {
    this.threshold = 64 * (len + 1) + 2048;
  }

  enable(size: number, width: number): boolean {
    if (size <= 0 || size > 1 << 28) {
      this.threshold = Infinity;
      return false;
    }
    this.size = size;
    this.ctxAt = new Float64Array(width);
    return true;
  }

  has(ctx: number, key: number): boolean {
    const bits = this.byContext.get(ctx);
    return bits !== undefined && (bits[key >>> 5]! & (1 << (key & 31))) !== 0;
  }

  set(ctx: number, key: number): void {
    let bits = this.byContext.get(ctx);
    if (bits === undefined) {
      if (this.byContext.size * this.size > 1 << 28) return; // enough memory spent
      bits = new Uint32Array((this.size >>> 5) + 1);
      this.byContext.set(ctx, bits);
    }
    bits[key >>> 5]! |= 1 << (key & 31);
  }
}

// ---------------------------------------------------------------------------------------------

type Searcher = (from: number, prevAvail: boolean, notNull: boolean, continuous: boolean) => SearchResult | null;

class Regex implements CompiledRegex {
  readonly groupCount: number;
  private auto: Automaton | null = null;
  // Lazily built; null when the exact engine must be used.
  private jsSrc: string | null | undefined = undefined;
  private jsMatch: RegExp | null | undefined = undefined;
  private jsSearch: { g: RegExp; y: RegExp } | null | undefined = undefined;

  constructor(
    readonly pattern: string,
    private readonly root: Node,
    groups: number,
  ) {
    this.groupCount = groups;
  }

  private automaton(): Automaton {
    return (this.auto ??= new Automaton(this.root, this.groupCount));
  }

  private jsSource(): string | null {
    if (this.jsSrc === undefined) this.jsSrc = jsCompatible(this.root) ? toJs(this.root) : null;
    return this.jsSrc;
  }

  matchWhole(s: string): (string | null)[] | null {
    if (this.jsMatch === undefined) {
      const src = this.jsSource();
      this.jsMatch = null;
      if (src !== null) {
        try {
          this.jsMatch = new RegExp("^(?:" + src + ")$");
        } catch {
          this.jsMatch = null;
        }
      }
    }
    if (this.jsMatch !== null) {
      let m: RegExpExecArray | null;
      try {
        m = this.jsMatch.exec(s);
      } catch {
        return this.automaton().matchWhole(s); // e.g. the JS engine ran out of stack
      }
      if (m === null) return null;
      const out: (string | null)[] = new Array(this.groupCount);
      for (let k = 1; k <= this.groupCount; k++) out[k - 1] = m[k] ?? null;
      return out;
    }
    return this.automaton().matchWhole(s);
  }

  /** A regex_search over `s` (exact engine, or a JS RegExp when equivalent). */
  private searcher(s: string): Searcher {
    const memo = new Memo(s.length); // shared by all searches over `s`
    const exact: Searcher = (from, prevAvail, notNull, continuous) =>
      this.automaton().search(s, from, prevAvail, notNull, continuous, memo);
    if (this.jsSearch === undefined) {
      this.jsSearch = null;
      const src = this.jsSource();
      if (src !== null && alternativesDisjoint(this.root)) {
        try {
          this.jsSearch = { g: new RegExp(src, "g"), y: new RegExp(src, "y") };
        } catch {
          this.jsSearch = null;
        }
      }
    }
    const js = this.jsSearch;
    if (js === null) return exact;
    const groups = this.groupCount;
    const toResult = (m: RegExpExecArray): SearchResult => {
      const caps: (string | null)[] = new Array(groups);
      for (let k = 1; k <= groups; k++) caps[k - 1] = m[k] ?? null;
      return { start: m.index, end: m.index + m[0].length, caps };
    };
    return (from, prevAvail, notNull, continuous) => {
      try {
        if (continuous) {
          js.y.lastIndex = from;
          const m = js.y.exec(s);
          if (m === null) return null;
          // libstdc++ would keep looking for a non-empty match; let the exact engine do that.
          if (notNull && m[0].length === 0) return exact(from, prevAvail, notNull, continuous);
          return toResult(m);
        }
        js.g.lastIndex = from;
        const m = js.g.exec(s);
        if (m === null) return null;
        if (notNull && m[0].length === 0) return exact(from, prevAvail, notNull, continuous);
        return toResult(m);
      } catch {
        return exact(from, prevAvail, notNull, continuous);
      }
    };
  }

  split(s: string): SplitItem[] {
    const search = this.searcher(s);
    const n = s.length;
    const out: SplitItem[] = [];
    let m = search(0, false, false, false);
    if (m === null) return [s];
    let prevAvail = false;
    let prefixFrom = 0;
    for (;;) {
      out.push(s.slice(prefixFrom, m.start), m.caps);
      prefixFrom = m.end;
      // regex_iterator::operator++
      let start = m.end;
      if (m.start === m.end) {
        if (start === n) break;
        const retry = search(start, prevAvail, true, true);
        if (retry !== null) {
          m = retry;
          continue;
        }
        start++;
      }
      prevAvail = true;
      const nextMatch = search(start, true, false, false);
      if (nextMatch === null) break;
      m = nextMatch;
    }
    out.push(s.slice(prefixFrom));
    return out;
  }
}
