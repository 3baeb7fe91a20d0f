// Runtime values of the Nix language. Common values stay unboxed JS primitives for speed:
// int = number (safe integers) | bigint (only outside ±2^53), bool = boolean, null = null,
// context-free string = string (one char per byte), list = JS array. The rest are small classes.
import type { Source } from "../lang/ast.js";
import { EvalError } from "./errors.js";

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

export class Attrs {
  constructor(
    readonly map: Map<string, Value>,
    readonly positions: AttrPositions | null = null,
  ) {}
  get(name: string): Value | undefined {
    return this.map.get(name);
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  get size(): number {
    return this.map.size;
  }
  /** Names in Nix's observable order: byte-wise (our strings are byte strings). */
  sortedNames(): string[] {
    return [...this.map.keys()].sort(compareNames);
  }
  static readonly empty = new Attrs(new Map());
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A compiled closure over an environment. `Env` is an array whose slot 0 is the parent env. */
export type Env = any[];
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
  ) {}
}

export class PrimOpApp {
  constructor(
    readonly primop: PrimOp,
    readonly args: Value[],
  ) {}
}

const BLACKHOLE: unique symbol = Symbol("blackhole");


/** A lazily evaluated value; evaluated at most once, then shared. */
export class Thunk {
  private code: Code | null;
  private env: Env | null;
  private value: Value | typeof BLACKHOLE | undefined;
  constructor(code: Code, env: Env) {
    this.code = code;
    this.env = env;
    this.value = undefined;
  }
  static of(value: Value): Thunk {
    const t = new Thunk(null as unknown as Code, null as unknown as Env);
    t.code = null;
    t.value = value;
    return t;
  }
  get evaluated(): boolean {
    return this.code === null && this.value !== BLACKHOLE;
  }
  get underEvaluation(): boolean {
    return this.value === BLACKHOLE;
  }
  /** The value if already evaluated, else undefined (never evaluates). */
  peek(): Value | undefined {
    return this.code === null && this.value !== BLACKHOLE ? (this.value as Value) : undefined;
  }
  force(): Value {
    const code = this.code;
    if (code === null) {
      if (this.value === BLACKHOLE) throw new EvalError("infinite recursion encountered", "recursion");
      return this.value as Value;
    }
    const env = this.env!;
    this.code = null;
    this.value = BLACKHOLE;
    try {
      let v = code(env);
      if (v instanceof Thunk) v = v.force();
      this.value = v;
      this.env = null;
      return v;
    } catch (e) {
      // Not memoised: forcing again re-evaluates (so interrupts and tryEval behave).
      this.code = code;
      this.value = undefined;
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
  return typeof v === "number" ? (Object.is(v, -0) ? "0" : String(v)) : v.toString();
}
