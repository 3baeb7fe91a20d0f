// The evaluator's state for one evaluation: settings, the I/O and store interfaces it is given,
// caches, the builtins, and the core operations every builtin uses (call, coerce, deep force).
import type { Expr, Source } from "../lang/ast.js";
import { EvalError, MAX_VALUE_DEPTH, valueNestedTooDeeply } from "./errors.js";
import { formatPosition, lineColumn } from "../lang/position.js";
import { expectPlainString, typeError } from "./expect.js";
import { canonPath } from "./paths.js";
import { SymlinkResolver } from "./canonical-path.js";
import { showValueForError } from "./print.js";
import {
  ArgFrame,
  ArgPair,
  Attrs,
  EMPTY_CONTEXT,
  Lambda,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  callCode,
  findAttrPos,
  intToString,
  isString,
  mkString,
  unionContexts,
  showType,
  type Env,
  type LambdaInfo,
  type Pos,
  type Value,
} from "./value.js";

export interface NixPathEntry {
  readonly prefix: string;
  readonly path: string;
}

export interface EvalSettings {
  /** Pure evaluation: no environment, no currentTime/currentSystem, no paths outside allowed roots. */
  readonly pure: boolean;
  readonly nixPath: readonly NixPathEntry[];
  readonly system: string;
  readonly storeDir: string;
  readonly maxCallDepth: number;
  readonly nixVersion: string;
  /** Paths readable in pure mode besides the store (e.g. the flake's source). */
  readonly allowedPaths?: readonly string[];
  readonly traceVerbose?: boolean;
  /** Directory relative search-path entries are resolved against. */
  readonly cwd?: string;
  /** `abort-on-warn`: builtins.warn throws after printing. */
  readonly abortOnWarn?: boolean;
}

export const defaultSettings: EvalSettings = {
  pure: false,
  nixPath: [],
  system: "x86_64-linux",
  storeDir: "/nix/store",
  maxCallDepth: 10000,
  nixVersion: "2.24.0",
};

export type FileType = "regular" | "directory" | "symlink" | "unknown";

/** File-system access the evaluator needs; paths and contents are byte strings. */
export interface EvalIO {
  readFile(path: string): string;
  /** The type of the file at `path` (not following a final symlink), or null if it does not exist. */
  fileType(path: string): FileType | null;
  readDir(path: string): [string, FileType][];
  readLink(path: string): string;
  /** Where `path` is on this host, for reads made without this interface (a chroot store's paths differ); itself when absent. */
  hostPath?(path: string): string;
  getEnv(name: string): string | undefined;
  /** Prints a line to stderr (trace, warnings). */
  warn(line: string): void;
}

export interface AddPathOptions {
  /** NAR serialisation (true) or the flat file contents (false). */
  readonly recursive: boolean;
  /** Keeps an entry (path below the root, as a byte string) when it returns true. */
  readonly filter?: (path: string, type: FileType) => boolean;
  /** Expected hash (`sha256` of the NAR or flat contents, as a Hash string in any format). */
  readonly expectedHash?: string;
}

/** What the evaluator needs from a store. Implementations may only compute paths (dry run). */
export interface EvalStore {
  readonly storeDir: string;
  /** Copies a file system path into the store (NAR, sha256, recursive); returns the store path. */
  addPath(path: string, name: string, opts: AddPathOptions): string;
  /** Adds a text file (`toFile`, `.drv` files); returns the store path. */
  addText(name: string, text: string, references: readonly string[]): string;
  /** Whether the path is valid in the store. */
  isValid(path: string): boolean;
  /** Contents of a text file in the store (e.g. a `.drv` written during this evaluation). */
  readText(path: string): string;
  /** References of a valid store path. */
  queryReferences(path: string): readonly string[];
}

export interface Parser {
  parse(source: Source): Expr;
}

/** Coercion modes of §3.7. */
export interface CoerceOptions {
  /** toString mode: also accept bools, null, numbers, lists. */
  readonly coerceMore?: boolean;
  /** Copy paths into the store (interpolation); false keeps the path string. */
  readonly copyToStore?: boolean;
}

/** Shared option objects, so hot paths allocate nothing per coercion. */
export const COERCE_INTERPOLATE: CoerceOptions = { copyToStore: true };
export const COERCE_NO_COPY: CoerceOptions = { copyToStore: false };
export const COERCE_DERIVATION_ATTR: CoerceOptions = { coerceMore: true, copyToStore: true };
/** `builtins.toString`: toString mode, paths stay paths. */
export const COERCE_TO_STRING: CoerceOptions = { coerceMore: true, copyToStore: false };

export class EvalState {
  callDepth = 0;
  /** `settings.maxCallDepth`, read on every call. */
  readonly maxCallDepth: number;
  /** Store paths already created from file-system paths during this evaluation. */
  readonly srcToStore = new Map<string, string>();
  /** Evaluated files (`import`), by absolute path. */
  readonly fileCache = new Map<string, Value>();
  /** Populated by the evaluator when it is created. */
  builtins!: Attrs;
  /** Global scope values (base environment), filled by the evaluator. */
  baseEnv!: Env;
  /** Evaluates a file (with cache); installed by the evaluator. */
  evalFile!: (path: string) => Value;
  /** Parses and evaluates source text in the base scope; installed by the evaluator. */
  evalSource!: (source: Source) => Value;
  /** Like evalSource, with `attrs` shadowing the global scope (`scopedImport`). */
  evalSourceWithScope!: (source: Source, attrs: Attrs) => Value;
  /** Arbitrary per-evaluation caches keyed by owner (regex cache, etc.). */
  readonly caches = new Map<string, unknown>();

  constructor(
    readonly settings: EvalSettings,
    readonly io: EvalIO,
    readonly store: EvalStore,
  ) {
    this.maxCallDepth = settings.maxCallDepth;
  }

  cache<T>(key: string, make: () => T): T {
    let c = this.caches.get(key) as T | undefined;
    if (c === undefined) {
      c = make();
      this.caches.set(key, c);
    }
    return c;
  }

  /** Applies a function value to arguments (lambda, primop, partial application or functor). */
  call(fn: Value, args: Value[], pos: Pos | null): Value {
    let f = fn instanceof Thunk ? fn.force() : fn;
    let i = 0;
    while (i < args.length) {
      if (f instanceof Lambda) {
        // `x: y: …` applied to several arguments: bind the outer ones without creating the
        // intermediate closures (evaluating a lambda literal can do nothing else).
        let info = f.info;
        let env = f.env;
        let inner: LambdaInfo | null | undefined;
        while (info.formals === null && (inner = info.inner) != null && i < args.length - 1) {
          env = info.pair === true ? new ArgPair(env.p, env.a, args[i++]) : new ArgFrame(env, args[i++]);
          info = inner;
        }
        f = this.callInfo(info, env, args[i++], pos);
      } else if (f instanceof PrimOp) {
        const need = f.arity;
        if (args.length - i < need) return new PrimOpApp(f, args.slice(i));
        const all = i === 0 && need === args.length ? args : args.slice(i, i + need);
        i += need;
        f = this.callPrimOp(f, all, pos);
      } else if (f instanceof PrimOpApp) {
        const primop = f.primop;
        const have = f.args;
        const need = primop.arity - have.length;
        if (args.length - i < need) return new PrimOpApp(primop, have.concat(args.slice(i)));
        const all = have.concat(args.slice(i, i + need));
        i += need;
        f = this.callPrimOp(primop, all, pos);
      } else if (f instanceof Attrs && f.has("__functor")) {
        const functor = f.get("__functor")!;
        const self = f;
        try {
          const g = this.call(functor, [self], pos);
          f = this.call(g, [args[i++]], pos);
        } catch (e) {
          if (e instanceof EvalError) e.addTrace("while calling a functor (an attribute set with a '__functor' attribute)", pos);
          throw e;
        }
      } else {
        throw new EvalError(
          `attempt to call something which is not a function but ${showType(f)}: ${showValueForError(f)}`,
          "eval",
          pos,
        );
      }
      if (f instanceof Thunk) f = f.force();
    }
    return f;
  }

  /** `call(fn, [arg], pos)` without the argument array when `fn` is a lambda. */
  call1(fn: Value, arg: Value, pos: Pos | null): Value {
    const f = fn instanceof Thunk ? fn.force() : fn;
    if (f instanceof Lambda) return this.callInfo(f.info, f.env, arg, pos);
    if (f instanceof PrimOp && f.arity === 1) return this.callPrimOp(f, [arg], pos);
    return this.call(f, [arg], pos);
  }

  /** `call(fn, [a, b], pos)`, with direct paths for curried lambdas and binary primops. */
  call2(fn: Value, a: Value, b: Value, pos: Pos | null): Value {
    const f = fn instanceof Thunk ? fn.force() : fn;
    if (f instanceof Lambda) {
      const info = f.info;
      const inner = info.inner;
      if (info.formals === null && inner != null) {
        // `a: b: …`: bind `a` without creating the closure its body would return.
        if (info.pair !== true) return this.callCurried(inner, f.env, a, b, pos);
        const env = f.env;
        return this.callInfo(inner, new ArgPair(env.p, env.a, a), b, pos);
      }
      const g = this.callInfo(f.info, f.env, a, pos);
      if (g instanceof Lambda) return this.callInfo(g.info, g.env, b, pos);
      return this.call(g, [b], pos);
    }
    return this.call(f, [a, b], pos);
  }

  callPrimOp(primop: PrimOp, args: Value[], pos: Pos | null): Value {
    try {
      const r = primop.fn(args, pos);
      return r instanceof Thunk ? r.force() : r;
    } catch (e) {
      if (e instanceof EvalError) {
        if (primop.addTrace) e.addTrace(`while calling the '${primop.name}' builtin`, pos);
      }
      throw e;
    }
  }

  callLambda(f: Lambda, arg: Value, pos: Pos | null): Value {
    return this.callInfo(f.info, f.env, arg, pos);
  }

  /**
   * Calls the lambda `info` closed over `parent` (what a Lambda holds) with `arg`. A plain lambda's
   * body runs right here rather than in a helper: every JavaScript frame per Nix call counts in
   * deep recursions, whose first descent runs in the interpreter (~100 bytes of fresh stack per
   * frame, each fresh page a fault; and the garbage collector walks every frame at each scavenge).
   */
  callInfo(info: LambdaInfo, parent: Env, arg: Value, pos: Pos | null): Value {
    if (info.formals !== null) return this.callWithFormals(info, parent, arg, pos);
    // A plain `x: body` lambda: its frame is an ArgFrame, or an ArgPair after the outer
    // lambda's ArgFrame (what the Lambda closes over).
    const frame = info.pair === true ? new ArgPair(parent.p, parent.a, arg) : new ArgFrame(parent, arg);
    if (++this.callDepth > this.maxCallDepth) this.callDepthExceeded(pos);
    try {
      let r = callCode(info.body, frame);
      if (r instanceof Thunk) r = r.force();
      return r;
    } finally {
      if (this.callDepth > 0) this.callDepth--;
    }
  }

  /**
   * Calls `x: inner` (closed over `parent`, not itself an inner lambda) with `x` = `a`, then
   * `inner` with `b`, without creating the closure in between. Runs a pair's body itself, like
   * callInfo (one JavaScript frame fewer per call).
   */
  callCurried(inner: LambdaInfo, parent: Env, a: Value, b: Value, pos: Pos | null): Value {
    if (inner.pair !== true) return this.callInfo(inner, new ArgFrame(parent, a), b, pos);
    const frame = new ArgPair(parent, a, b);
    if (++this.callDepth > this.maxCallDepth) this.callDepthExceeded(pos);
    try {
      let r = callCode(inner.body, frame);
      if (r instanceof Thunk) r = r.force();
      return r;
    } finally {
      if (this.callDepth > 0) this.callDepth--;
    }
  }

  private callDepthExceeded(pos: Pos | null): never {
    this.callDepth = 0;
    throw new EvalError("stack overflow; max-call-depth exceeded", "stack", pos);
  }

  private callWithFormals(info: LambdaInfo, parent: Env, arg: Value, pos: Pos | null): Value {
    if (++this.callDepth > this.maxCallDepth) this.callDepthExceeded(pos);
    try {
      const env: Env = new Array(info.slots + 1);
      env[0] = parent;
      if (info.argSlot >= 0) env[info.argSlot] = arg;
      const formals = info.formals!;
      let set: Value = arg instanceof Thunk ? arg.force() : arg;
      if (!(set instanceof Attrs)) {
        throw typeError("a set", set, "while evaluating the value passed for the lambda argument", pos);
      }
      let used = 0;
      for (let k = 0; k < formals.length; k++) {
        const formal = formals[k];
        const v = set.get(formal.name);
        if (v !== undefined) {
          env[formal.slot] = v;
          used++;
        } else if (formal.default !== null) {
          env[formal.slot] = new Thunk(formal.default, env);
        } else {
          throw new EvalError(
            `function '${info.name ?? "anonymous lambda"}' called without required argument '${formal.name}'`,
            "eval",
            pos,
          ).addTrace(`from call site`, pos, true);
        }
      }
      if (!info.ellipsis && used < set.size) {
        for (const name of set.keys()) {
          if (!info.formalNames!.has(name)) {
            const e = new EvalError(
              `function '${info.name ?? "anonymous lambda"}' called with unexpected argument '${name}'`,
              "eval",
              pos,
            );
            e.hint = didYouMean(name, [...info.formalNames!]);
            throw e;
          }
        }
      }
      let r = callCode(info.body, env);
      if (r instanceof Thunk) r = r.force();
      return r;
    } finally {
      if (this.callDepth > 0) this.callDepth--;
    }
  }

  /** Forces a value deeply (lists and attribute values, recursively; cycles are fine). */
  forceDeep(v: Value): Value {
    const seen = new Set<object>();
    const go = (v: Value, depth: number): Value => {
      if (v instanceof Thunk) v = v.force();
      if (Array.isArray(v)) {
        if (seen.has(v)) return v;
        seen.add(v);
        if (depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
        for (const x of v) go(x, depth + 1);
      } else if (v instanceof Attrs) {
        if (seen.has(v)) return v;
        seen.add(v);
        if (depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
        const set = v;
        const keys = set.arrayKeys();
        if (keys !== null) {
          const values = set.arrayValues()!;
          const names = keys.list;
          for (let i = 0; i < values.length; i++) {
            try {
              go(values[i], depth + 1);
            } catch (e) {
              if (e instanceof EvalError) e.addTrace(`while evaluating the attribute '${names[i]}'`, attrPos(set, names[i]));
              throw e;
            }
          }
        } else {
          for (const [name, x] of set.map) {
            try {
              go(x, depth + 1);
            } catch (e) {
              if (e instanceof EvalError) e.addTrace(`while evaluating the attribute '${name}'`, attrPos(set, name));
              throw e;
            }
          }
        }
      }
      return v;
    };
    return go(v, 0);
  }

  /**
   * Coerces to a string as interpolation (default) or `toString` (coerceMore) does. `depth`
   * counts the lists, `__toString` results and `outPath`s this coercion went through.
   */
  coerceToString(v: Value, opts: CoerceOptions, pos: Pos | null = null, depth = 0): string | NixString {
    if (v instanceof Thunk) v = v.force();
    if (isString(v)) return v;
    if (v instanceof NixPath) {
      if (opts.copyToStore === false) return v.path;
      const sp = this.copyPathToStore(v.path);
      return new NixString(sp, new Set([sp]));
    }
    if (v instanceof Attrs) {
      const toStr = v.get("__toString");
      if (depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
      if (toStr !== undefined) {
        const r = this.call(toStr, [v], pos);
        return this.coerceToString(r, opts, pos, depth + 1);
      }
      const outPath = v.get("outPath");
      if (outPath !== undefined) return this.coerceToString(outPath, opts, pos, depth + 1);
    }
    if (opts.coerceMore) {
      if (v === true) return "1";
      if (v === false || v === null) return "";
      if (typeof v === "number" || typeof v === "bigint") return intToString(v);
      if (v instanceof NixFloat) return floatToFixed6(v.value);
      if (Array.isArray(v)) {
        if (depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
        let s = "";
        let ctx: Set<string> | null = null;
        for (let i = 0; i < v.length; i++) {
          const item = v[i] instanceof Thunk ? (v[i] as Thunk).force() : v[i];
          const r = this.coerceToString(item, opts, pos, depth + 1);
          if (typeof r === "string") s += r;
          else {
            s += r.s;
            ctx ??= new Set();
            for (const c of r.ctx) ctx.add(c);
          }
          if (i < v.length - 1 && !(Array.isArray(item) && item.length === 0)) s += " ";
        }
        return mkString(s, ctx);
      }
    }
    throw new EvalError(`cannot coerce ${showType(v)} to a string: ${showValueForError(v)}`, "eval", pos);
  }

  /** Pure evaluation mode reads only the store and the allowed paths (e.g. the flake's source). */
  checkReadable(path: string): void {
    const problem = this.readProblem(path);
    if (problem !== undefined) throw new EvalError(problem);
  }

  /** Why pure evaluation may not read `path` (checkReadable), or undefined when it may. */
  readProblem(path: string): string | undefined {
    if (!this.settings.pure) return undefined;
    const allowed = [this.settings.storeDir, ...(this.settings.allowedPaths ?? [])];
    const isAllowed = (p: string): boolean => allowed.some((root) => p === root || p.startsWith(root.endsWith("/") ? root : root + "/"));
    if (!isAllowed(path)) return `access to absolute path '${path}' is forbidden in pure evaluation mode (use '--impure' to override)`;
    // Nor through a symbolic link (e.g. one in a flake's source) to somewhere else.
    this.resolver ??= new SymlinkResolver(this.io, allowed);
    const canonical = this.resolver.resolve(path);
    if (canonical === undefined) return `too many levels of symbolic links while resolving '${path}'`;
    if (!isAllowed(canonical)) {
      return `access to canonical path '${canonical}' (through '${path}') is forbidden in pure evaluation mode (use '--impure' to override)`;
    }
    return undefined;
  }

  /**
   * What to copy to the store for `path` (checked as checkReadable does): in pure evaluation,
   * where its symbolic links lead, as Nix copies it (a link to a directory copies the directory);
   * otherwise `path` itself, so a link is copied as a link.
   */
  sourcePath(path: string): string {
    this.checkReadable(path);
    if (!this.settings.pure) return path;
    return this.resolver?.resolve(path) ?? path;
  }

  /** Follows symbolic links for checkReadable (made on first use). */
  private resolver: SymlinkResolver | undefined;

  /** Copies a path to the store once per evaluation; returns the store path. */
  copyPathToStore(path: string): string {
    let sp = this.srcToStore.get(path);
    if (sp !== undefined) return sp;
    const source = this.sourcePath(path);
    const name = baseName(path);
    if (name.endsWith(".drv")) throw new EvalError(`file names are not allowed to end in '.drv'`);
    if (this.io.fileType(source) === null) throw new EvalError(`path '${source}' does not exist`);
    sp = this.store.addPath(source, name, { recursive: true });
    this.srcToStore.set(path, sp);
    return sp;
  }

  /** Coerces to an absolute path (`import`, `readFile`, …): paths, or strings starting with `/`. */
  coercePath(v: Value, ctx: string | null, pos: Pos | null = null): { path: string; ctx: ReadonlySet<string> } {
    if (v instanceof Thunk) v = v.force();
    if (v instanceof NixPath) return { path: v.path, ctx: EMPTY_CONTEXT };
    const s = this.coerceToString(v, COERCE_NO_COPY, pos);
    const str = typeof s === "string" ? s : s.s;
    if (!str.startsWith("/")) {
      const e = new EvalError(`string '${str}' doesn't represent an absolute path`, "eval", pos);
      if (ctx !== null) e.addTrace(ctx, pos);
      throw e;
    }
    return { path: str, ctx: typeof s === "string" ? EMPTY_CONTEXT : s.ctx };
  }

  /** A string argument that must not carry context (attribute names and the like). */
  plainString(v: NixString, ctx: string | null, pos: Pos | null): string {
    return expectPlainString(v, ctx, pos);
  }

  /** `FILE:LINE:COL` for messages. */
  formatPos(pos: Pos): string {
    return formatPosition(pos.source, pos.offset);
  }

  /** `__curPos` / `unsafeGetAttrPos` result: `{ column; file; line; }`. */
  posToAttrs(pos: Pos): Attrs {
    const { line, column } = lineColumn(pos.source, pos.offset);
    return new Attrs(
      new Map<string, Value>([
        ["column", column],
        ["file", pos.source.path],
        ["line", line],
      ]),
    );
  }

  /** The non-numeric `+`: path + string-like yields a path; otherwise string concatenation. */
  concatStrings(left: Value, right: Value, pos: Pos): Value {
    if (left instanceof NixPath) {
      const r = this.coerceToString(right, COERCE_NO_COPY, pos);
      if (typeof r !== "string") {
        throw new EvalError("a string that refers to a store path cannot be appended to a path", "eval", pos);
      }
      return new NixPath(canonPath(left.path + r));
    }
    const a = this.coerceToString(left, COERCE_INTERPOLATE, pos);
    const b = this.coerceToString(right, COERCE_INTERPOLATE, pos);
    if (typeof a === "string" && typeof b === "string") return a + b;
    const ctx = typeof a === "string" ? (b as NixString).ctx : typeof b === "string" ? a.ctx : unionContexts(a.ctx, b.ctx);
    return mkString((typeof a === "string" ? a : a.s) + (typeof b === "string" ? b : b.s), ctx);
  }
}

export function attrPos(s: Attrs, name: string): Pos | null {
  return findAttrPos(s.positions, name);
}

export function baseName(path: string): string {
  const stripped = path.endsWith("/") && path.length > 1 ? path.slice(0, -1) : path;
  return stripped.slice(stripped.lastIndexOf("/") + 1);
}

/** "Did you mean …?" suggestions among `candidates` (small edit distance), as Nix prints them. */
export function didYouMean(name: string, candidates: readonly string[]): string | null {
  const scored = candidates
    .map((c) => ({ c, d: levenshtein(name, c) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)) && x.d > 0)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1))
    .slice(0, 3)
    .map((x) => x.c)
    .sort();
  if (scored.length === 0) return null;
  if (scored.length === 1) return `Did you mean ${scored[0]}?`;
  return `Did you mean one of ${scored.slice(0, -1).join(", ")} or ${scored[scored.length - 1]}?`;
}

export function levenshtein(a: string, b: string): number {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** C's `%f`: six decimals, exact for large values, `inf`/`nan` spelled as C does. */
function floatToFixed6(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Math.abs(x) >= 1e21) return BigInt(x).toString() + ".000000";
  const s = x.toFixed(6);
  return Object.is(x, -0) || (x < 0 && s === "0.000000") ? "-" + s.replace(/^-/, "") : s;
}
