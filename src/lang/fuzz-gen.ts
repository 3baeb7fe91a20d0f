// Deterministic generators of parser inputs for fuzzing: random token soups, random valid
// programs, and mutations of those (shared by the unit test and any longer fuzz run).

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Token-ish fragments, including the awkward ones (string/path starts, comments, escapes). */
const VOCABULARY: readonly string[] = [
  "x", "y", "f", "a", "b", "or", "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit",
  "__curPos", "true", "null", "a-b", "x'", "_", "0", "1", "42", "007", "1.5", ".5", "1.", "1e3", "1.e3",
  "9223372036854775807", "9223372036854775808", "1.0e400", "1.0e-310",
  "...", "==", "!=", "<=", ">=", "&&", "||", "->", "//", "++", "|>", "<|", "+", "-", "*", "/", "!",
  "<", ">", "?", ":", "@", ";", ",", ".", "=", "(", ")", "{", "}", "[", "]", "${", "$", "'", "''", "'''",
  "''$", "''\\n", "\"", "\\", "\\\"", "\"a${", "#c\n", "/*", "*/", "/* c */", "/** d */",
  "./a", "./a/", "../b", "/abs", "a/b", "./a/${", "~/x", "~/", "~", "<nixpkgs>", "<a/b>", "http://e.org/a?b",
  "x:x", "\n", "\r\n", "\t", " ", "\u00e9", "\u0000", "%", "&", "|", "`",
];

/** Produces fuzz inputs from a seed; the same seed always yields the same sequence. */
export class FuzzGenerator {
  readonly rng: Rng;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** Random fragments from the vocabulary, sometimes glued together without spaces. */
  tokenSoup(maxTokens = 40): string {
    const r = this.rng;
    const n = 1 + r.int(maxTokens);
    let out = "";
    for (let i = 0; i < n; i++) {
      out += r.pick(VOCABULARY);
      if (r.chance(0.6)) out += r.pick([" ", " ", "\n", "  ", "\t"]);
    }
    return out;
  }

  /** A random program that should parse (modulo rare generated duplicates). */
  program(depth = 4): string {
    return this.expr(depth);
  }

  private name(): string {
    return this.rng.pick(["a", "b", "c", "x", "y", "f", "g", "foo", "bar-baz", "x'", "_p"]);
  }

  private simple(depth: number): string {
    const r = this.rng;
    switch (r.int(16)) {
      case 0:
        return String(r.int(1000));
      case 1:
        return r.pick(["1.5", "0.25", ".5", "2.5e3", "1."]);
      case 2:
        if (depth > 0 && r.chance(0.4)) return '"' + r.pick(["", "a", "a\\nb", "\\${x}", "q\\\""]) + "${" + this.expr(depth - 1) + "}" + '"';
        return '"' + r.pick(["", "a", "a\\nb", "\\${x}", "$$", "a$", "q\\\"", "\\t", "$${x}"]) + '"';
      case 3:
        return "''\n  " + r.pick(["a", "''$x", "'''", "''\\t", "$", "'q"]) + "\n    " + (depth > 0 && r.chance(0.4) ? "${" + this.expr(depth - 1) + "}" : "b") + "\n''";
      case 4:
        return r.pick(["./a", "../b/c.nix", "/abs/p", "a/b", "~/h", "./."]) + (depth > 0 && r.chance(0.3) ? "/${" + this.expr(depth - 1) + "}.nix" : "");
      case 5:
        return r.pick(["<nixpkgs>", "<a/b>", "(http://e.org/a?b=c)", "(urn:x:y)"]);
      case 6:
        return r.pick(["true", "false", "null", "__curPos"]);
      case 7:
        return depth > 0 ? "(" + this.expr(depth - 1) + ")" : this.name();
      case 8:
        if (depth === 0) return "[ ]";
        return "[ " + Array.from({ length: r.int(4) }, () => this.selectLevel(depth - 1)).join(" ") + " ]";
      case 9:
        return depth > 0 ? this.attrs(depth - 1) : "{ }";
      default:
        return this.name();
    }
  }

  private selectLevel(depth: number): string {
    let s = this.simple(depth);
    const r = this.rng;
    if (!r.chance(0.2)) return s;
    // Numbers, paths and URIs would swallow a following `.`; parenthesise them.
    if (!/^([a-zA-Z_][a-zA-Z0-9_'-]*$|[{["(]|'')/.test(s)) s = "(" + s + ")";
    return s + "." + this.attrPath(depth) + (r.chance(0.5) ? " or " + this.simple(Math.max(0, depth - 1)) : "");
  }

  private attrPath(depth: number): string {
    const r = this.rng;
    const parts: string[] = [];
    for (let i = 0, n = 1 + r.int(3); i < n; i++) {
      const k = r.int(8);
      if (k === 0) parts.push('"' + this.name() + ' q"');
      else if (k === 1 && depth > 0) parts.push("${" + this.expr(depth - 1) + "}");
      else if (k === 2) parts.push("or");
      else parts.push(this.name());
    }
    return parts.join(".");
  }

  private attrs(depth: number): string {
    const r = this.rng;
    const used = new Set<string>();
    let out = r.chance(0.2) ? "rec { " : "{ ";
    for (let i = 0, n = r.int(5); i < n; i++) {
      const k = r.int(6);
      if (k === 0) {
        const names = Array.from({ length: 1 + r.int(3) }, () => this.name()).filter((x) => !used.has(x) && (used.add(x), true));
        out += (r.chance(0.5) ? "inherit (" + this.expr(depth) + ") " : "inherit ") + names.join(" ") + "; ";
      } else {
        const n0 = this.name() + i;
        if (used.has(n0)) continue;
        used.add(n0);
        out += n0 + (r.chance(0.3) ? "." + this.name() : "") + " = " + this.expr(depth) + "; ";
      }
    }
    return out + "}";
  }

  private expr(depth: number): string {
    const r = this.rng;
    if (depth <= 0) return this.selectLevel(0);
    switch (r.int(14)) {
      case 0:
        return this.name() + ": " + this.expr(depth - 1);
      case 1: {
        const formals = [...new Set(Array.from({ length: r.int(4) }, () => this.name()))].map((n) => (r.chance(0.3) ? n + " ? " + this.expr(depth - 2) : n));
        if (r.chance(0.3)) formals.push("...");
        const set = "{ " + formals.join(", ") + " }";
        return (r.chance(0.2) ? set + "@args" : set) + ": " + this.expr(depth - 1);
      }
      case 2:
        return "let " + this.attrs(depth - 1).replace(/^(rec )?\{ /, "").replace(/\}$/, "") + "in " + this.expr(depth - 1);
      case 3:
        return "if " + this.expr(depth - 1) + " then " + this.expr(depth - 1) + " else " + this.expr(depth - 1);
      case 4:
        return r.pick(["assert ", "with "]) + this.expr(depth - 1) + "; " + this.expr(depth - 1);
      case 5:
      case 6:
      case 7: {
        const op = r.pick(["+", "-", "*", "/", "++", "//", "&&", "||", "->", "==", "!=", "<", "<=", ">", ">=", "|>", "<|"]);
        return this.operand(depth) + " " + op + " " + this.operand(depth);
      }
      case 8:
        return r.pick(["!", "-"]) + this.operand(depth);
      case 9:
        return this.operand(depth) + " ? " + this.attrPath(depth - 1);
      case 10:
        return Array.from({ length: 2 + r.int(3) }, () => this.selectLevel(depth - 1)).join(" ");
      default:
        return this.selectLevel(depth - 1);
    }
  }

  private operand(depth: number): string {
    const s = this.selectLevel(depth - 1);
    return this.rng.chance(0.5) ? "(" + s + ")" : s;
  }

  /** Applies 1–3 random edits (deletions, duplications, insertions, byte noise, truncation). */
  mutate(input: string): string {
    const r = this.rng;
    let s = input;
    for (let k = 0, n = 1 + r.int(3); k < n; k++) {
      const i = r.int(s.length + 1);
      const j = Math.min(s.length, i + r.int(8));
      switch (r.int(6)) {
        case 0:
          s = s.slice(0, i) + s.slice(j);
          break;
        case 1:
          s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
          break;
        case 2:
          s = s.slice(0, i) + r.pick(VOCABULARY) + s.slice(i);
          break;
        case 3:
          s = s.slice(0, i) + String.fromCharCode(r.int(256)) + s.slice(i);
          break;
        case 4:
          s = s.slice(0, i);
          break;
        default: {
          const a = s.slice(i, j);
          const m = r.int(s.length + 1);
          s = m <= i ? s.slice(0, m) + a + s.slice(m, i) + s.slice(j) : s.slice(0, i) + s.slice(j, m) + a + s.slice(m);
        }
      }
    }
    return s;
  }

  /** The next input of a mixed stream: soups, valid programs, and mutated programs. */
  next(): string {
    const k = this.rng.int(10);
    if (k < 3) return this.tokenSoup();
    if (k < 5) return this.program(1 + this.rng.int(5));
    return this.mutate(this.program(1 + this.rng.int(5)));
  }
}
