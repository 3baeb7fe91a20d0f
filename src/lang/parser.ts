// The Nix parser: recursive descent with precedence climbing for operators, producing the AST of
// ast.ts (with its desugarings) and the syntax errors modern Nix reports, at the same positions.
import type { AttrName, Expr, Formal, Offset, Source } from "./ast.js";
import { absPath, canonPath } from "./canon-path.js";
import { BindingsBuilder, newAttrs, type AttrsNode } from "./bindings.js";
import { ParseError } from "./errors.js";
import { stripIndentation, type IndStringPart } from "./indented-string.js";
import { Lexer, type LexerOptions, type Token } from "./lexer.js";
import { showIdentifier } from "./show.js";
import { T, tokenName, utf8Bytes } from "./tokens.js";

export interface ParseOptions extends LexerOptions {
  /** Home directory that `~/…` paths start with (a byte string); default `$HOME`. */
  readonly home?: string;
}

/** Parses a whole source into an expression; throws ParseError for invalid input. */
export function parse(source: Source, options: ParseOptions = {}): Expr {
  const parser = new Parser(source, options);
  try {
    return parser.parseTop();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new ParseError("expression nested too deeply", source, parser.currentOffset());
    }
    throw e;
  }
}

// What bison would list after "expecting" in each parser state we can fail in (modern token
// names, in bison's symbol order). States with more than four possibilities list nothing.
const EXPECT_ATTR = "identifier or 'or' or '${' or '\"'";
const EXPECT_PATH_PART = "string or end of path or '${'";
const EXPECT_IND_STRING = "indented string or '${' or end of an indented string";

const enum Prec {
  IMPL = 1,
  OR,
  AND,
  EQ,
  CMP,
  UPDATE,
  NOT,
  ADD,
  MUL,
  CONCAT,
  HAS_ATTR,
  NEGATE,
}

/** Binding power of binary operator tokens (0: not a binary operator). */
const BINARY_PREC = new Uint8Array(T.INVALID + 1);
BINARY_PREC[T.IMPL] = Prec.IMPL;
BINARY_PREC[T.OR] = Prec.OR;
BINARY_PREC[T.AND] = Prec.AND;
BINARY_PREC[T.EQ] = Prec.EQ;
BINARY_PREC[T.NEQ] = Prec.EQ;
BINARY_PREC[T.LT] = Prec.CMP;
BINARY_PREC[T.GT] = Prec.CMP;
BINARY_PREC[T.LEQ] = Prec.CMP;
BINARY_PREC[T.GEQ] = Prec.CMP;
BINARY_PREC[T.UPDATE] = Prec.UPDATE;
BINARY_PREC[T.PLUS] = Prec.ADD;
BINARY_PREC[T.MINUS] = Prec.ADD;
BINARY_PREC[T.STAR] = Prec.MUL;
BINARY_PREC[T.SLASH] = Prec.MUL;
BINARY_PREC[T.CONCAT] = Prec.CONCAT;
BINARY_PREC[T.QUESTION] = Prec.HAS_ATTR;

/** Tokens that can start a select-level expression (an argument or a list element). */
const STARTS_SELECT = new Uint8Array(T.INVALID + 1);
for (const k of [T.ID, T.INT, T.FLOAT, T.QUOTE, T.IND_STRING_OPEN, T.PATH, T.HPATH, T.SPATH, T.URI, T.LPAREN, T.LET, T.REC, T.LBRACE, T.LBRACKET]) {
  STARTS_SELECT[k] = 1;
}

const enum BindsKind {
  /** `{ … }` */
  PLAIN,
  /** `rec { … }` and legacy `let { … }` */
  REC,
  /** `let … in` */
  LET,
}

type IntExpr = Extract<Expr, { kind: "Int" }>;

/** `$HOME` as a byte string ("" where there is no process environment). */
function homeFromEnvironment(): string {
  return utf8Bytes(typeof process !== "undefined" ? (process.env["HOME"] ?? "") : "");
}

/** Appends arguments to a call, extending an existing Call node as Nix does (`(f a) b` = `f a b`). */
function makeCall(pos: Offset, fn: Expr, args: Expr[]): Expr {
  if (fn.kind === "Call") return { kind: "Call", pos: fn.pos, fn: fn.fn, args: [...fn.args, ...args] };
  return { kind: "Call", pos, fn, args };
}

/** `name a b` for operators Nix desugars to calls of (shadowable) builtins. */
function desugaredCall(pos: Offset, name: string, a: Expr, b: Expr): Expr {
  return { kind: "Call", pos, fn: { kind: "Var", pos, name }, args: [a, b] };
}

class Parser {
  private readonly lexer: Lexer;
  private readonly bindings: BindingsBuilder;
  /** `$HOME` for `~/…` paths; read from the environment on first use (process.env is slow). */
  private home: string | undefined;
  /** The next token, once looked at (null: not lexed yet). */
  private current: Token | null = null;
  /** The two tokens after `current`, when looked at (fields, not an array: this runs per token). */
  private after1: Token | null = null;
  private after2: Token | null = null;

  constructor(
    private readonly source: Source,
    options: ParseOptions,
  ) {
    this.lexer = new Lexer(source, options);
    this.bindings = new BindingsBuilder(source);
    this.home = options.home;
  }

  currentOffset(): number {
    return this.current !== null ? this.current.start : 0;
  }

  // --- tokens ---------------------------------------------------------------------------------

  private peek(): Token {
    return (this.current ??= this.lexer.next());
  }

  /** The token `n` (0–2) places after the current one (0: the current one). */
  private peekAt(n: 0 | 1 | 2): Token {
    const t = this.peek();
    if (n === 0) return t;
    const a1 = (this.after1 ??= this.lexer.next());
    return n === 1 ? a1 : (this.after2 ??= this.lexer.next());
  }

  private advance(): Token {
    const t = this.peek();
    this.current = this.after1;
    this.after1 = this.after2;
    this.after2 = null;
    return t;
  }

  private expect(kind: T, expecting: string | null): Token {
    const t = this.peek();
    if (t.kind !== kind) this.unexpected(t, expecting);
    return this.advance();
  }

  private unexpected(t: Token, expecting: string | null = null): never {
    const message = `syntax error, unexpected ${tokenName(t.kind)}` + (expecting ? `, expecting ${expecting}` : "");
    throw new ParseError(message, this.source, t.kind === T.EOF ? t.end : t.start);
  }

  private fail(message: string, offset: Offset): never {
    throw new ParseError(message, this.source, offset);
  }

  // --- expressions ----------------------------------------------------------------------------

  parseTop(): Expr {
    const e = this.parseExpr();
    const t = this.peek();
    if (t.kind !== T.EOF) this.unexpected(t, "end of file");
    return e;
  }

  /** `expr`: lambdas, `assert`, `with`, `let … in`, `if`, and everything below. */
  private parseExpr(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case T.ID: {
        const next = this.peekAt(1).kind;
        if (next === T.COLON) {
          this.advance();
          this.advance();
          const body = this.parseExpr();
          return { kind: "Lambda", pos: t.start, arg: t.value as string, formals: null, body };
        }
        if (next === T.AT) {
          this.advance();
          this.advance();
          this.expect(T.LBRACE, "'{'");
          const formals = this.parseFormals();
          this.expect(T.COLON, "':'");
          const body = this.parseExpr();
          const arg = t.value as string;
          this.validateFormals(formals.formals, arg, t.start);
          return { kind: "Lambda", pos: t.start, arg, formals, body };
        }
        break;
      }
      case T.LBRACE:
        if (this.isFormalsStart()) return this.parseFormalsLambda();
        break;
      case T.ASSERT: {
        this.advance();
        const cond = this.parseExpr();
        this.expect(T.SEMI, "';'");
        const body = this.parseExpr();
        return { kind: "Assert", pos: t.start, cond, body };
      }
      case T.WITH: {
        this.advance();
        const env = this.parseExpr();
        this.expect(T.SEMI, "';'");
        const body = this.parseExpr();
        return { kind: "With", pos: t.start, env, body };
      }
      case T.LET:
        if (this.peekAt(1).kind !== T.LBRACE) return this.parseLet();
        break;
      case T.IF: {
        this.advance();
        const cond = this.parseExpr();
        this.expect(T.THEN, "'then'");
        const then = this.parseExpr();
        this.expect(T.ELSE, "'else'");
        const otherwise = this.parseExpr();
        return { kind: "If", pos: t.start, cond, then, else: otherwise };
      }
    }
    return this.parsePipes();
  }

  /** After `{` in expression position: does a formal parameter set start here? */
  private isFormalsStart(): boolean {
    const next = this.peekAt(1).kind;
    if (next === T.ELLIPSIS) return true;
    if (next === T.RBRACE) {
      const after = this.peekAt(2).kind;
      return after === T.COLON || after === T.AT;
    }
    if (next === T.ID) {
      const after = this.peekAt(2).kind;
      return after === T.COMMA || after === T.QUESTION || after === T.RBRACE;
    }
    return false;
  }

  /** `{ formals }: body` and `{ formals } @ name: body`. */
  private parseFormalsLambda(): Expr {
    const open = this.advance();
    const formals = this.parseFormals();
    let arg: string | null = null;
    const t = this.peek();
    if (t.kind === T.AT) {
      this.advance();
      arg = this.expect(T.ID, "identifier").value as string;
      this.expect(T.COLON, "':'");
    } else if (t.kind === T.COLON) {
      this.advance();
    } else {
      this.unexpected(t, "':' or '@'");
    }
    const body = this.parseExpr();
    this.validateFormals(formals.formals, arg, open.start);
    return { kind: "Lambda", pos: open.start, arg, formals, body };
  }

  /** The formals after `{`, through the closing `}`. */
  private parseFormals(): { formals: Formal[]; ellipsis: boolean } {
    const formals: Formal[] = [];
    let t = this.peek();
    if (t.kind === T.RBRACE) {
      this.advance();
      return { formals, ellipsis: false };
    }
    if (t.kind === T.ELLIPSIS) {
      this.advance();
      this.expect(T.RBRACE, "'}'");
      return { formals, ellipsis: true };
    }
    for (;;) {
      const id = this.peek();
      if (id.kind !== T.ID) this.unexpected(id, "identifier or '...' or '}'");
      this.advance();
      let def: Expr | null = null;
      if (this.peek().kind === T.QUESTION) {
        this.advance();
        def = this.parseExpr();
      }
      formals.push({ name: id.value as string, pos: id.start, default: def });
      t = this.peek();
      if (t.kind === T.RBRACE) {
        this.advance();
        return { formals, ellipsis: false };
      }
      if (t.kind !== T.COMMA) this.unexpected(t, "'}' or ','");
      this.advance();
      t = this.peek();
      if (t.kind === T.RBRACE) {
        this.advance();
        return { formals, ellipsis: false };
      }
      if (t.kind === T.ELLIPSIS) {
        this.advance();
        this.expect(T.RBRACE, "'}'");
        return { formals, ellipsis: true };
      }
    }
  }

  /** Duplicate formals (and `x@{ x }`) are reported once the whole lambda is parsed, as in Nix. */
  private validateFormals(formals: readonly Formal[], arg: string | null, lambdaPos: Offset): void {
    const firstSeen = new Map<string, number>();
    let dup: { name: string; order: number; pos: Offset } | null = null;
    for (const f of formals) {
      const order = firstSeen.get(f.name);
      if (order === undefined) {
        firstSeen.set(f.name, firstSeen.size);
      } else if (!dup || order < dup.order) {
        dup = { name: f.name, order, pos: f.pos };
      }
    }
    if (dup) this.fail(`duplicate formal function argument '${showIdentifier(dup.name)}'`, dup.pos);
    if (arg !== null && firstSeen.has(arg)) this.fail(`duplicate formal function argument '${showIdentifier(arg)}'`, lambdaPos);
  }

  private parseLet(): Expr {
    const let_ = this.advance();
    const set = newAttrs(let_.start, true);
    this.parseBinds(set, BindsKind.LET);
    this.advance(); // `in`
    const body = this.parseExpr();
    if (set.dynamic.length > 0) this.fail("dynamic attributes not allowed in let", let_.start);
    return { kind: "Let", pos: let_.start, attrs: set.attrs, inheritFrom: set.inheritFrom, body };
  }

  /** Pipes (`a |> f`, `f <| a`): the loosest operators; the two kinds don't mix. */
  private parsePipes(): Expr {
    const lhs = this.parseOp(Prec.IMPL);
    const t = this.peek();
    if (t.kind === T.PIPE_INTO) {
      let acc = lhs;
      while (this.peek().kind === T.PIPE_INTO) {
        const op = this.advance();
        const fn = this.parseOp(Prec.IMPL);
        acc = makeCall(op.start, fn, [acc]);
      }
      return acc;
    }
    if (t.kind === T.PIPE_FROM) {
      const operands: Expr[] = [lhs];
      const ops: Token[] = [];
      while (this.peek().kind === T.PIPE_FROM) {
        ops.push(this.advance());
        operands.push(this.parseOp(Prec.IMPL));
      }
      let acc = operands[operands.length - 1]!;
      for (let i = ops.length - 1; i >= 0; i--) acc = makeCall(ops[i]!.start, operands[i]!, [acc]);
      return acc;
    }
    return lhs;
  }

  /** Operators binding at least as tightly as `minPrec` (precedence climbing, spec §2.1). */
  private parseOp(minPrec: number): Expr {
    let lhs: Expr;
    const t = this.peek();
    if (t.kind === T.BANG) {
      this.advance();
      lhs = { kind: "Not", pos: t.start, expr: this.parseOp(Prec.NOT + 1) };
    } else if (t.kind === T.MINUS) {
      this.advance();
      const operand = this.parseOp(Prec.NEGATE + 1);
      const zero: IntExpr = { kind: "Int", pos: t.start, value: 0 };
      lhs = { kind: "Call", pos: t.start, fn: { kind: "Var", pos: t.start, name: "__sub" }, args: [zero, operand] };
    } else {
      lhs = this.parseApp();
    }
    for (;;) {
      const op = this.peek();
      const prec = BINARY_PREC[op.kind]!;
      if (prec === 0 || prec < minPrec) return lhs;
      this.advance();
      if (op.kind === T.QUESTION) {
        lhs = { kind: "HasAttr", pos: op.start, expr: lhs, path: this.parseAttrPath() };
        continue;
      }
      if (prec === Prec.IMPL || prec === Prec.UPDATE || prec === Prec.CONCAT) {
        // Right-associative: gather the whole chain, then fold from the right (no deep recursion).
        const operands: Expr[] = [lhs, this.parseOp(prec + 1)];
        const ops: Token[] = [op];
        while (BINARY_PREC[this.peek().kind] === prec) {
          ops.push(this.advance());
          operands.push(this.parseOp(prec + 1));
        }
        let acc = operands[operands.length - 1]!;
        for (let i = ops.length - 1; i >= 0; i--) acc = this.binary(ops[i]!, operands[i]!, acc);
        lhs = acc;
        continue;
      }
      const rhs = this.parseOp(prec + 1);
      lhs = this.binary(op, lhs, rhs);
      if (prec === Prec.EQ || prec === Prec.CMP) {
        // Non-associative: `a == b == c` and `a < b < c` are syntax errors.
        const next = this.peek();
        if (BINARY_PREC[next.kind] === prec) this.unexpected(next);
      }
    }
  }

  private binary(op: Token, lhs: Expr, rhs: Expr): Expr {
    const pos = op.start;
    const call = desugaredCall;
    switch (op.kind) {
      case T.EQ:
        return { kind: "BinOp", pos, op: "==", lhs, rhs };
      case T.NEQ:
        return { kind: "BinOp", pos, op: "!=", lhs, rhs };
      case T.AND:
        return { kind: "BinOp", pos, op: "&&", lhs, rhs };
      case T.OR:
        return { kind: "BinOp", pos, op: "||", lhs, rhs };
      case T.IMPL:
        return { kind: "BinOp", pos, op: "->", lhs, rhs };
      case T.UPDATE:
        return { kind: "BinOp", pos, op: "//", lhs, rhs };
      case T.CONCAT:
        return { kind: "BinOp", pos, op: "++", lhs, rhs };
      case T.PLUS:
        return { kind: "BinOp", pos, op: "+", lhs, rhs };
      case T.MINUS:
        return call(pos, "__sub", lhs, rhs);
      case T.STAR:
        return call(pos, "__mul", lhs, rhs);
      case T.SLASH:
        return call(pos, "__div", lhs, rhs);
      case T.LT:
        return call(pos, "__lessThan", lhs, rhs);
      case T.GT:
        return call(pos, "__lessThan", rhs, lhs);
      case T.LEQ:
        return { kind: "Not", pos, expr: call(pos, "__lessThan", rhs, lhs) };
      case T.GEQ:
        return { kind: "Not", pos, expr: call(pos, "__lessThan", lhs, rhs) };
      default:
        return this.unexpected(op);
    }
  }

  /** Application: a select-level expression followed by select-level arguments. */
  private parseApp(): Expr {
    const start = this.peek().start;
    const fn = this.parseSelect();
    if (!STARTS_SELECT[this.peek().kind]) return fn;
    const args: Expr[] = [];
    do args.push(this.parseSelect());
    while (STARTS_SELECT[this.peek().kind]);
    return makeCall(start, fn, args);
  }

  /** `e.a.b`, `e.a.b or d`, and the legacy `e or` (a call of `e` on a variable named `or`). */
  private parseSelect(): Expr {
    const start = this.peek().start;
    const e = this.parsePrimary();
    const t = this.peek();
    if (t.kind === T.DOT) {
      this.advance();
      const path = this.parseAttrPath();
      if (this.peek().kind === T.OR_KW) {
        this.advance();
        const def = this.parseSelect();
        return { kind: "Select", pos: start, expr: e, path, default: def };
      }
      return { kind: "Select", pos: start, expr: e, path, default: null };
    }
    if (t.kind === T.OR_KW) {
      this.advance();
      return { kind: "Call", pos: start, fn: e, args: [{ kind: "Var", pos: start, name: "or" }] };
    }
    return e;
  }

  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case T.ID:
        this.advance();
        return t.value === "__curPos" ? { kind: "CurPos", pos: t.start } : { kind: "Var", pos: t.start, name: t.value as string };
      case T.INT:
        this.advance();
        return { kind: "Int", pos: t.start, value: t.value as number | bigint };
      case T.FLOAT:
        this.advance();
        return { kind: "Float", pos: t.start, value: t.value as number };
      case T.QUOTE:
        return this.parseString();
      case T.IND_STRING_OPEN:
        return this.parseIndString();
      case T.PATH:
      case T.HPATH:
        return this.parsePath();
      case T.SPATH: {
        this.advance();
        const name = (t.value as string).slice(1, -1);
        return {
          kind: "Call",
          pos: t.start,
          fn: { kind: "Var", pos: t.start, name: "__findFile" },
          args: [
            { kind: "Var", pos: t.start, name: "__nixPath" },
            { kind: "String", pos: t.start, value: name },
          ],
        };
      }
      case T.URI:
        this.advance();
        return { kind: "String", pos: t.start, value: t.value as string };
      case T.LPAREN: {
        this.advance();
        const e = this.parseExpr();
        this.expect(T.RPAREN, "')'");
        return e;
      }
      case T.LET: {
        // Legacy `let { …; body = …; }` is `(rec { … }).body`.
        this.advance();
        this.expect(T.LBRACE, "'{'");
        const set = this.parseBinds(newAttrs(t.start, true), BindsKind.REC);
        return { kind: "Select", pos: t.start, expr: set, path: [{ kind: "static", name: "body", pos: t.start }], default: null };
      }
      case T.REC:
        this.advance();
        this.expect(T.LBRACE, "'{'");
        return this.parseBinds(newAttrs(t.start, true), BindsKind.REC);
      case T.LBRACE:
        this.advance();
        return this.parseBinds(newAttrs(t.start, false), BindsKind.PLAIN);
      case T.LBRACKET: {
        this.advance();
        const elems: Expr[] = [];
        while (STARTS_SELECT[this.peek().kind]) elems.push(this.parseSelect());
        this.expect(T.RBRACKET, null);
        return { kind: "List", pos: t.start, elems };
      }
      default:
        return this.unexpected(t);
    }
  }

  // --- attribute paths and bindings -------------------------------------------------------------

  /** `a.b."c".${d}` (after a `.` or `?`, or at the start of a binding). */
  private parseAttrPath(): AttrName[] {
    const path: AttrName[] = [this.parseAttrName()];
    while (this.peek().kind === T.DOT) {
      this.advance();
      path.push(this.parseAttrName());
    }
    return path;
  }

  private parseAttrName(): AttrName {
    const t = this.peek();
    switch (t.kind) {
      case T.ID:
        this.advance();
        return { kind: "static", name: t.value as string, pos: t.start };
      case T.OR_KW:
        this.advance();
        return { kind: "static", name: "or", pos: t.start };
      case T.QUOTE: {
        const e = this.parseString();
        return e.kind === "String" ? { kind: "static", name: e.value, pos: t.start } : { kind: "dynamic", expr: e, pos: t.start };
      }
      case T.DOLLAR_CURLY: {
        this.advance();
        const e = this.parseExpr();
        this.expect(T.RBRACE, "'}'");
        return e.kind === "String" ? { kind: "static", name: e.value, pos: t.start } : { kind: "dynamic", expr: e, pos: t.start };
      }
      default:
        return this.unexpected(t, EXPECT_ATTR);
    }
  }

  /** Bindings up to the closing `}` (consumed) or, for `let`, up to `in` (not consumed). */
  private parseBinds(set: AttrsNode, kind: BindsKind): AttrsNode {
    for (;;) {
      const t = this.peek();
      switch (t.kind) {
        case T.ID:
        case T.OR_KW:
        case T.QUOTE:
        case T.DOLLAR_CURLY: {
          const path = this.parseAttrPath();
          const eq = this.peek();
          if (eq.kind !== T.EQUALS) this.unexpected(eq, "'.' or '='");
          this.advance();
          const value = this.parseExpr();
          this.expect(T.SEMI, "';'");
          this.bindings.addAttr(set, path, value, t.start);
          continue;
        }
        case T.INHERIT:
          this.advance();
          this.parseInherit(set);
          continue;
        case T.RBRACE:
          if (kind === BindsKind.LET) break;
          this.advance();
          return set;
        case T.IN:
          if (kind === BindsKind.LET) return set;
          break;
      }
      // Bison reports what may follow the bindings read so far.
      this.unexpected(t, kind === BindsKind.PLAIN ? "'inherit'" : kind === BindsKind.LET ? "'in' or 'inherit'" : "'inherit' or '}'");
    }
  }

  /** After `inherit`: an optional `(source)`, names, `;`. */
  private parseInherit(set: AttrsNode): void {
    let from: { expr: Expr; pos: Offset } | null = null;
    if (this.peek().kind === T.LPAREN) {
      this.advance();
      const pos = this.peek().start;
      const expr = this.parseExpr();
      this.expect(T.RPAREN, "')'");
      from = { expr, pos };
    }
    const names: { name: string; pos: Offset }[] = [];
    for (;;) {
      const t = this.peek();
      switch (t.kind) {
        case T.ID:
          this.advance();
          names.push({ name: t.value as string, pos: t.start });
          continue;
        case T.OR_KW:
          this.advance();
          names.push({ name: "or", pos: t.start });
          continue;
        case T.QUOTE:
        case T.DOLLAR_CURLY: {
          const attr = this.parseAttrName();
          if (attr.kind === "dynamic") this.fail("dynamic attributes not allowed in inherit", t.start);
          names.push({ name: attr.name, pos: t.start });
          continue;
        }
        case T.SEMI:
          this.advance();
          this.bindings.addInherit(set, names, from);
          return;
        default:
          this.unexpected(t);
      }
    }
  }

  // --- strings and paths ----------------------------------------------------------------------

  /** `"…"`: a String, or an InterpString positioned at its first part. */
  private parseString(): Expr {
    const open = this.advance();
    const parts: (string | Expr)[] = [];
    let partsStart = -1;
    // Fast path for the common `"text"` (no parts array to build and throw away).
    const first = this.peek();
    if (first.kind === T.STR) {
      this.advance();
      if (this.peek().kind === T.QUOTE) {
        this.advance();
        return { kind: "String", pos: open.start, value: first.value as string };
      }
      parts.push(first.value as string);
      partsStart = first.start;
    }
    for (;;) {
      const t = this.peek();
      if (t.kind === T.STR) {
        this.advance();
        parts.push(t.value as string);
      } else if (t.kind === T.DOLLAR_CURLY) {
        this.advance();
        parts.push(this.parseExpr());
        this.expect(T.RBRACE, "'}'");
      } else if (t.kind === T.QUOTE) {
        this.advance();
        break;
      } else {
        this.unexpected(t, "'\"'");
      }
      if (partsStart < 0) partsStart = t.start;
    }
    if (parts.length === 0) return { kind: "String", pos: open.start, value: "" };
    if (parts.length === 1 && typeof parts[0] === "string") return { kind: "String", pos: open.start, value: parts[0] };
    return { kind: "InterpString", pos: partsStart, parts };
  }

  /** `'' … ''` with indentation stripping. */
  private parseIndString(): Expr {
    const open = this.advance();
    const parts: IndStringPart[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === T.IND_STR) {
        this.advance();
        parts.push({ text: t.value as string, indented: t.indented });
      } else if (t.kind === T.DOLLAR_CURLY) {
        this.advance();
        parts.push({ expr: this.parseExpr() });
        this.expect(T.RBRACE, "'}'");
      } else if (t.kind === T.IND_STRING_CLOSE) {
        this.advance();
        break;
      } else {
        this.unexpected(t, EXPECT_IND_STRING);
      }
    }
    const stripped = stripIndentation(parts);
    if (stripped.length === 0) return { kind: "String", pos: open.start, value: "" };
    if (stripped.length === 1 && typeof stripped[0] === "string") return { kind: "String", pos: open.start, value: stripped[0] };
    return { kind: "InterpString", pos: open.start, parts: stripped };
  }

  /** A path literal, possibly with interpolations (`./a/${b}.nix`), through its end-of-path token. */
  private parsePath(): Expr {
    const t = this.advance();
    const literal = t.value as string;
    let first: string;
    if (t.kind === T.HPATH) {
      first = (this.home ??= homeFromEnvironment()) + literal.slice(1);
    } else {
      first = literal.charCodeAt(0) === 0x2f ? canonPath(literal) : absPath(literal, this.source.baseDir);
      if (literal.length > 1 && literal.charCodeAt(literal.length - 1) === 0x2f) first += "/";
    }
    let next = this.peek();
    if (next.kind === T.PATH_END) {
      this.advance();
      return { kind: "Path", pos: t.start, value: first };
    }
    const parts: (string | Expr)[] = [first];
    if (next.kind === T.STR) {
      // Text straight after the path start must be followed by an interpolation.
      this.advance();
      parts.push(next.value as string);
      next = this.peek();
      if (next.kind !== T.DOLLAR_CURLY) this.unexpected(next, "'${'");
    }
    for (;;) {
      next = this.peek();
      if (next.kind === T.DOLLAR_CURLY) {
        this.advance();
        parts.push(this.parseExpr());
        this.expect(T.RBRACE, "'}'");
      } else if (next.kind === T.STR && parts.length > 1) {
        this.advance();
        parts.push(next.value as string);
      } else if (next.kind === T.PATH_END && parts.length > 1) {
        this.advance();
        return { kind: "InterpPath", pos: t.start, parts };
      } else {
        this.unexpected(next, EXPECT_PATH_PART);
      }
    }
  }
}
