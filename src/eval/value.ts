// Runtime values of the Nix language. Common values stay unboxed JS primitives for speed:
// int = number (safe integers) | bigint (only outside ±2^53), bool = boolean, null = null,
// context-free string = string (one char per byte), list = JS array. The rest are small classes.
import type { Source } from "../lang/ast.js";
import { EvalError } from "./errors.js";
import { smallIntString } from "./small-int-string.js";

export type Value =
  | number
  | bigint
  | boolean
  | null
  | string
  | NixString
  | NixFloat
  | NixPath
  | Value[]
  | Attrs
  | Lambda
  | PrimOp
  | PrimOpApp
  | Thunk;

/** A forced value: never a Thunk. (Documentation only; TS cannot exclude the class cheaply.) */
export type Forced = Exclude<Value, Thunk>;

export type NixType = "int" | "float" | "bool" | "string" | "path" | "null" | "set" | "list" | "lambda";

/** A source position at runtime. */
export interface Pos {
  readonly source: Source;
  readonly offset: number;
}

/**
 * String context elements, encoded as Nix does internally:
 *   "/nix/store/…"          an opaque store path
 *   "=/nix/store/….drv"     all outputs of a derivation (and the .drv closure)
 *   "!out!/nix/store/….drv" one output of a derivation
 */
export type Context = ReadonlySet<string>;

/** A string that carries context. Context-free strings are plain JS strings. */
export class NixString {
  constructor(
    readonly s: string,
    readonly ctx: Context,
  ) {}
}

export class NixFloat {
  constructor(readonly value: number) {}
}

/** An absolute, canonical path. */
export class NixPath {
  constructor(readonly path: string) {}
}

/** Where each static attribute of a set literal was defined (for unsafeGetAttrPos, errors). */
export interface AttrPositions {
  readonly source: Source;
  readonly offsets: ReadonlyMap<string, number>;
  /** Where to look for names not in `offsets` (the left operand of `//`). */
  readonly fallback?: AttrPositions | null;
}

/** Where attribute `name` was defined, following `//` fallbacks. */
export function findAttrPos(p: AttrPositions | null | undefined, name: string): Pos | null {
  for (; p; p = p.fallback) {
    const off = p.offsets.get(name);
    if (off !== undefined) return { source: p.source, offset: off };
  }
  return null;
}

/** Sets up to this size find names by scanning instead of through an index. */
const SCAN_LIMIT = 12;

/**
 * The attribute names of array-backed sets, in insertion order. Shared by every set with the same
 * names in the same order: all sets built by one attribute set literal, `mapAttrs` results and
 * their source, `//` results that only override existing names.
 *
 * `//` adding names to a set whose `Keys` cover their whole `names` array appends to that array
 * and shares it (and the name → position index) with the new, longer `Keys`; each `Keys` only
 * looks at its first `length` names. Names in one array are therefore always distinct.
 */
export class Keys {
  private readonly names: string[];
  readonly length: number;
  /** name → position for names[0 .. indexed), possibly shared with longer Keys on `names`. */
  private index: Map<string, number> | null;
  private indexed: number;
  private sorted: string[] | null = null;
  private constructor(names: string[], length: number, index: Map<string, number> | null, indexed: number) {
    this.names = names;
    this.length = length;
    this.index = index;
    this.indexed = indexed;
  }
  /** Keys for distinct `names` (the array is kept, and may later be appended to). */
  static of(names: string[]): Keys {
    return new Keys(names, names.length, null, 0);
  }
  /** Like `of`, with `index` (name → position of every name) already built. */
  static withIndex(names: string[], index: Map<string, number>): Keys {
    return new Keys(names, names.length, index, names.length);
  }
  /** The names in insertion order (the array may be longer; only the first `length` count). */
  get list(): readonly string[] {
    return this.names;
  }
  name(i: number): string {
    return this.names[i];
  }
  /** Position of `name`, or -1. */
  find(name: string): number {
    const n = this.length;
    const names = this.names;
    if (n <= SCAN_LIMIT) {
      for (let i = 0; i < n; i++) if (names[i] === name) return i;
      return -1;
    }
    let index = this.index;
    if (index === null) index = this.index = new Map();
    for (let i = this.indexed; i < n; i++) index.set(names[i], i);
    if (this.indexed < n) this.indexed = n;
    const p = index.get(name);
    return p !== undefined && p < n ? p : -1;
  }
  /** These names followed by `more` (distinct names none of which is in this list). */
  extend(more: readonly string[]): Keys {
    const names = this.names;
    if (names.length === this.length) {
      for (let i = 0; i < more.length; i++) names.push(more[i]);
      return new Keys(names, this.length + more.length, this.index, this.indexed);
    }
    const copy = names.slice(0, this.length);
    for (let i = 0; i < more.length; i++) copy.push(more[i]);
    return Keys.of(copy);
  }
  /** Names in byte order; shared, never to be modified. */
  sortedNames(): readonly string[] {
    let s = this.sorted;
    // The default sort compares UTF-16 code units, i.e. bytes here, like compareNames.
    if (s === null) s = this.sorted = this.names.slice(0, this.length).sort();
    return s;
  }
}

/**
 * An attribute set. Immutable once built. Stored either as a `Map` (sets built by `new Attrs(map)`,
 * the form every layer may use) or as shared `Keys` plus an array of values (sets built by the
 * evaluator's hot paths: literals, `//`, `mapAttrs`), which is much cheaper to create and copy.
 * Iteration follows insertion order in both forms; `//` keeps the left operand's order and appends
 * the right operand's new names, exactly as copying a Map and setting the new entries would.
 */
export class Attrs {
  /** Map form (also a cache of `map` for the array form). */
  private m: Map<string, Value> | null;
  /** Array form: names and values (`v.length === k.length`). */
  private readonly k: Keys | null;
  private readonly v: Value[] | null;
  readonly positions: AttrPositions | null;
  constructor(
    map: Map<string, Value> | null,
    positions: AttrPositions | null = null,
    keys: Keys | null = null,
    values: Value[] | null = null,
  ) {
    this.m = map;
    this.k = keys;
    this.v = values;
    this.positions = positions;
  }
  /** An array-backed set; `values[i]` belongs to `keys.name(i)`. */
  static fromKeys(keys: Keys, values: Value[], positions: AttrPositions | null = null): Attrs {
    return new Attrs(null, positions, keys, values);
  }
  /** A Map of the attributes (built on first use for array-backed sets; not to be modified). */
  get map(): Map<string, Value> {
    let m = this.m;
    if (m === null) {
      m = new Map();
      const k = this.k!;
      const v = this.v!;
      for (let i = 0; i < v.length; i++) m.set(k.name(i), v[i]);
      this.m = m;
    }
    return m;
  }
  get(name: string): Value | undefined {
    const v = this.v;
    if (v !== null) {
      const i = this.k!.find(name);
      return i < 0 ? undefined : v[i];
    }
    return this.m!.get(name);
  }
  has(name: string): boolean {
    if (this.v !== null) return this.k!.find(name) >= 0;
    return this.m!.has(name);
  }
  get size(): number {
    const v = this.v;
    return v !== null ? v.length : this.m!.size;
  }
  /** Names in Nix's observable order: byte-wise (our strings are byte strings). A fresh array. */
  sortedNames(): string[] {
    if (this.v !== null) return this.k!.sortedNames().slice();
    return [...this.m!.keys()].sort();
  }
  /** Like sortedNames, but possibly shared: callers must not modify it. */
  sortedNamesShared(): readonly string[] {
    if (this.v !== null) return this.k!.sortedNames();
    return [...this.m!.keys()].sort();
  }
  /** Names in insertion order (a fresh array). */
  keys(): string[] {
    if (this.v !== null) return this.k!.list.slice(0, this.v.length);
    return [...this.m!.keys()];
  }
  /** Calls `f(value, name)` for every attribute, in insertion order. */
  forEach(f: (value: Value, name: string) => void): void {
    const v = this.v;
    if (v !== null) {
      const names = this.k!.list;
      for (let i = 0; i < v.length; i++) f(v[i], names[i]);
    } else this.m!.forEach(f);
  }
  /** [name, value] pairs in insertion order. */
  *entries(): IterableIterator<[string, Value]> {
    const v = this.v;
    if (v !== null) {
      const names = this.k!.list;
      for (let i = 0; i < v.length; i++) yield [names[i], v[i]];
    } else yield* this.m!;
  }
  /** The array form's names, or null for a Map-backed set. */
  arrayKeys(): Keys | null {
    return this.k;
  }
  /** The array form's values, or null for a Map-backed set (not to be modified). */
  arrayValues(): readonly Value[] | null {
    return this.v;
  }
  static readonly empty = new Attrs(new Map());
}

/** `l // r`: r's attributes override l's. Keeps l's names first, in order, then r's new ones. */
export function updateAttrs(l: Attrs, r: Attrs, positions: AttrPositions | null): Attrs {
  let lk = l.arrayKeys();
  let vals: Value[];
  if (lk !== null) vals = (l.arrayValues() as Value[]).slice();
  else {
    const names: string[] = [];
    vals = [];
    for (const [name, v] of l.map) {
      names.push(name);
      vals.push(v);
    }
    lk = Keys.of(names);
  }
  let added: string[] | null = null;
  const rk = r.arrayKeys();
  if (rk !== null) {
    const rv = r.arrayValues()!;
    const rnames = rk.list;
    for (let i = 0; i < rv.length; i++) {
      const name = rnames[i];
      const at = lk.find(name);
      if (at >= 0) vals[at] = rv[i];
      else {
        (added ??= []).push(name);
        vals.push(rv[i]);
      }
    }
  } else {
    for (const [name, v] of r.map) {
      const at = lk.find(name);
      if (at >= 0) vals[at] = v;
      else {
        (added ??= []).push(name);
        vals.push(v);
      }
    }
  }
  return Attrs.fromKeys(added === null ? lk : lk.extend(added), vals, positions);
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A compiled closure over an environment. An `Env` is an array whose slot 0 is the parent env, or,
 * for a call of a plain `x: body` lambda or a `let` of one or two bindings, an ArgFrame (ArgPair).
 * The compiler knows which kind each scope has and emits the matching access.
 */
export type Env = any;

/** The frame of a call to a plain `x: body` lambda: one object where an array would be two. */
export class ArgFrame {
  constructor(
    readonly p: Env,
    /** Written once more after construction when the frame is a `let`'s (compileSmallLet). */
    public a: Value,
  ) {}
}

/**
 * The frame of the inner lambda of `x: y: body` (both plain): `x` and `y` in one object, so a call
 * with both arguments makes one frame instead of two. Made from the outer call's ArgFrame when the
 * inner lambda is called on its own.
 */
export class ArgPair {
  constructor(
    readonly p: Env,
    /** Written once more after construction when the frame is a `let`'s (compileSmallLet). */
    public a: Value,
    public b: Value,
  ) {}
}
export type Code = (env: Env) => Value;

export interface FormalInfo {
  readonly name: string;
  /** Slot of this formal in the lambda's environment. */
  readonly slot: number;
  readonly default: Code | null;
  /** Offset of the formal's name in the lambda's source (for functionArgs positions), if known. */
  readonly pos?: number;
}

/** Compile-time information about a lambda, shared by all closures created from it. */
export interface LambdaInfo {
  name: string | null;
  readonly pos: Pos;
  /** Number of slots in the environment created for a call (excluding slot 0, the parent). */
  readonly slots: number;
  /** Slot of the plain argument / @-name, or -1. */
  readonly argSlot: number;
  /** The plain argument / @-name itself (toXML's `<varpat>`/`<attrspat name>`), or null. */
  readonly argName?: string | null;
  readonly formals: readonly FormalInfo[] | null;
  readonly formalNames: ReadonlySet<string> | null;
  readonly ellipsis: boolean;
  readonly body: Code;
  /**
   * When the body is itself a lambda literal (`x: y: …`), its info: calls with several arguments
   * then bind the outer argument without creating the closure the body evaluates to.
   */
  readonly inner?: LambdaInfo | null;
  /**
   * The body forces the argument before doing anything else (strictness.ts), so a call may pass
   * it already evaluated instead of as a thunk. Plain `x: body` lambdas only.
   */
  readonly strictArg?: boolean;
  /** For the inner lambda of `x: y: …`: the body forces `x` first (and, if `strictBothArgs`, then `y`). */
  readonly strictOuterArg?: boolean;
  readonly strictBothArgs?: boolean;
  /**
   * The position errors raised while the body forces the argument get (that of an enclosing `*`
   * or `/`), for an argument evaluated by the call instead: of the own argument (`strictArg`,
   * `strictBothArgs`) and of the outer one (`strictOuterArg`).
   */
  readonly strictArgAt?: Pos | null;
  readonly strictOuterArgAt?: Pos | null;
  /** The inner lambda of `x: y: body`, its frame an ArgPair (x in slot 1, y in slot 2). */
  readonly pair?: boolean;
}

export class Lambda {
  constructor(
    readonly info: LambdaInfo,
    readonly env: Env,
  ) {}
}

/** The interface builtins are implemented against; provided by the evaluator. */
export type PrimOpFn = (args: Value[], pos: Pos | null) => Value;

export class PrimOp {
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly fn: PrimOpFn,
    /** Whether a failure adds "while calling the 'NAME' builtin" (not for addErrorContext). */
    readonly addTrace: boolean = true,
    /**
     * For a builtin that Nix writes in Nix code (`derivation`): its formals (name → has a
     * default), so that it prints as `<LAMBDA>` and `functionArgs` answers as Nix does.
     */
    readonly lambdaFormals: ReadonlyMap<string, boolean> | null = null,
  ) {}
}

export class PrimOpApp {
  constructor(
    readonly primop: PrimOp,
    readonly args: Value[],
  ) {}
}

/**
 * Runs compiled code through one shared call site that is made megamorphic up front, so optimised
 * code never speculates on which code it calls. Used for the branches of `if`: a recursion descends
 * through one branch and reaches the other only at its bottom, and code that had speculated on the
 * first would be thrown away right there, deoptimising each of its activations on the deep stack.
 */
export function callCode(code: Code, env: Env): Value {
  return code(env);
}
{
  // V8 gives a function its feedback vector after ~8 calls; from then on two different targets
  // make the call site megamorphic (checked with %DebugPrint: 12 calls suffice). 64 leaves a
  // margin and costs ~0.05 ms; the 4,000 calls this once made cost ~1 ms at every start.
  const a: Code = () => null;
  const b: Code = () => true;
  for (let i = 0; i < 64; i++) callCode(i & 1 ? a : b, []);
}



/** Code of a thunk under evaluation: forcing it again is infinite recursion. */
const BLACKHOLE: Code = () => {
  throw new EvalError("infinite recursion encountered", "recursion");
};

/**
 * A lazily evaluated value; evaluated at most once, then shared. Two fields only (thunks are the
 * most numerous objects): `code` is the code to run, BLACKHOLE while it runs, null once done;
 * `slot` holds the environment until then, and the value afterwards.
 */
export class Thunk {
  private code: Code | null;
  private slot: Env | Value;
  constructor(code: Code, env: Env) {
    this.code = code;
    this.slot = env;
  }
  static of(value: Value): Thunk {
    const t = new Thunk(null as unknown as Code, value as Env);
    t.code = null;
    return t;
  }
  get evaluated(): boolean {
    return this.code === null;
  }
  get underEvaluation(): boolean {
    return this.code === BLACKHOLE;
  }
  /** The value if already evaluated, else undefined (never evaluates). */
  peek(): Value | undefined {
    return this.code === null ? (this.slot as Value) : undefined;
  }
  force(): Value {
    const code = this.code;
    if (code === null) return this.slot as Value;
    // Under evaluation, `code` is BLACKHOLE itself, which throws (leaving the state as it is).
    this.code = BLACKHOLE;
    try {
      let v = callCode(code, this.slot as Env);
      if (v instanceof Thunk) v = v.force();
      this.slot = v;
      this.code = null;
      return v;
    } catch (e) {
      // Not memoised: forcing again re-evaluates (so interrupts and tryEval behave).
      this.code = code;
      throw e;
    }
  }
}

export function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

export function isInt(v: Value): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

export function isString(v: Value): v is string | NixString {
  return typeof v === "string" || v instanceof NixString;
}

export function isFunction(v: Value): v is Lambda | PrimOp | PrimOpApp {
  return v instanceof Lambda || v instanceof PrimOp || v instanceof PrimOpApp;
}

/** A function, or a set with `__functor` (what calling accepts). Expects a forced value. */
export function isCallable(v: Value): boolean {
  return isFunction(v) || (v instanceof Attrs && v.has("__functor"));
}

/** The name `builtins.typeOf` reports. Expects a forced value. */
export function typeOf(v: Value): NixType {
  switch (typeof v) {
    case "number":
    case "bigint":
      return "int";
    case "boolean":
      return "bool";
    case "string":
      return "string";
  }
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  if (v instanceof Attrs) return "set";
  if (v instanceof NixString) return "string";
  if (v instanceof NixFloat) return "float";
  if (v instanceof NixPath) return "path";
  if (v instanceof Thunk) throw new Error("typeOf: unforced thunk");
  return "lambda";
}

/** "an integer", "a set", … as used in Nix's type errors. Expects a forced value. */
export function showType(v: Value): string {
  if (v instanceof PrimOp) return `the built-in function '${v.name}'`;
  if (v instanceof PrimOpApp) return `the partially applied built-in function '${v.primop.name}'`;
  if (v instanceof NixString) return "a string with context";
  return showTypeName(typeOf(v));
}

export function showTypeName(t: NixType): string {
  switch (t) {
    case "int":
      return "an integer";
    case "float":
      return "a float";
    case "bool":
      return "a Boolean";
    case "string":
      return "a string";
    case "path":
      return "a path";
    case "null":
      return "null";
    case "set":
      return "a set";
    case "list":
      return "a list";
    case "lambda":
      return "a function";
  }
}

/** The bytes and context of a forced string value. */
export function stringBytes(v: string | NixString): string {
  return typeof v === "string" ? v : v.s;
}

export function stringContext(v: string | NixString): Context {
  return typeof v === "string" ? EMPTY_CONTEXT : v.ctx;
}

export const EMPTY_CONTEXT: Context = new Set();

/**
 * The union of two contexts. Contexts are never modified once a string holds them, so when `b`
 * adds nothing to `a` (the same set, empty, or a subset) `a` itself is the union and is shared;
 * likewise `b` when `a` is empty. Otherwise a new set: `a`'s elements, then `b`'s new ones.
 */
export function unionContexts(a: Context, b: Context): Context {
  if (a === b || b.size === 0) return a;
  if (a.size === 0) return b;
  if (a.size >= b.size && containsAll(a, b)) return a;
  const u = new Set(a);
  for (const c of b) u.add(c);
  return u;
}

/** Whether every element of `sub` is in `set`. */
export function containsAll(set: Context, sub: Context): boolean {
  for (const c of sub) if (!set.has(c)) return false;
  return true;
}

export function mkString(s: string, ctx: Context | null | undefined): string | NixString {
  return ctx && ctx.size > 0 ? new NixString(s, ctx) : s;
}

export function mkAttrs(entries: Iterable<[string, Value]>): Attrs {
  return new Attrs(new Map(entries));
}

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;
export const INT64_MAX = (1n << 63n) - 1n;
export const INT64_MIN = -(1n << 63n);

/** Normalise a bigint known to be in int64 range to our int representation. */
export function intFromBigInt(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** Decimal text of an int value. */
export function intToString(v: number | bigint): string {
  return typeof v === "number" ? (Object.is(v, -0) ? "0" : smallIntString(v)) : v.toString();
}
