// Creates an evaluation: the state, the builtins, the base scope, and file/expression evaluation.
import type { Expr, Source } from "../lang/ast.js";
import { parse } from "../lang/parser.js";
import { BuiltinRegistry, GLOBAL_BUILTINS, type RegisterBuiltins } from "./builtins/registry.js";
import { ALL_BUILTIN_FAMILIES } from "./builtins/all.js";
import { Compiler, Scope } from "./compiler.js";
import { EvalError } from "./errors.js";
import { resolveExprPath } from "./expr-path.js";
import { EvalState, type EvalIO, type EvalSettings, type EvalStore } from "./state.js";
import { Attrs, Thunk, type Env, type Value } from "./value.js";

export interface EvaluatorOptions {
  settings: EvalSettings;
  io: EvalIO;
  store: EvalStore;
  /** Extra builtin families (e.g. fetchers and flakes, provided by higher layers). */
  extraBuiltins?: readonly RegisterBuiltins[];
}

export class Evaluator {
  readonly state: EvalState;
  private readonly compiler: Compiler;
  private readonly baseScope: Scope;

  constructor(opts: EvaluatorOptions) {
    const state = new EvalState(opts.settings, opts.io, opts.store);
    this.state = state;
    const registry = new BuiltinRegistry(state);
    for (const register of ALL_BUILTIN_FAMILIES) register(registry);
    for (const register of opts.extraBuiltins ?? []) register(registry);

    const builtinsMap = new Map<string, Value>(registry.entries);
    const builtins = new Attrs(builtinsMap);
    builtinsMap.set("builtins", builtins);
    state.builtins = builtins;

    // The base scope: globals under their plain names, everything under `__name`.
    const names = new Map<string, number>();
    const values: Value[] = [null];
    const bind = (name: string, v: Value): void => {
      names.set(name, values.length);
      values.push(v);
    };
    for (const [name, v] of builtinsMap) {
      if (GLOBAL_BUILTINS.has(name)) bind(name, v);
      if (name !== "builtins" && name !== "true" && name !== "false" && name !== "null") bind(`__${name}`, v);
    }
    for (const g of ["true", "false", "null", "builtins"]) if (!names.has(g)) bind(g, builtinsMap.get(g) ?? null);
    this.baseScope = new Scope(null, names);
    // Copied into a `new Array` like every other frame (one elements kind for all env accesses).
    const baseEnv: Env = new Array(values.length);
    for (let i = 0; i < values.length; i++) baseEnv[i] = values[i];
    state.baseEnv = baseEnv;
    this.compiler = new Compiler(state, this.baseScope);
    state.evalSource = (source) => this.evalSource(source);
    state.evalFile = (path) => this.evalFile(path);
    state.evalSourceWithScope = (source, attrs) => this.evalSourceWithScope(source, attrs);
  }

  /** `scopedImport`: the attributes of `attrs` shadow the global scope for this source. */
  evalSourceWithScope(source: Source, attrs: Attrs): Value {
    const names = new Map<string, number>();
    const frame: Env = new Array(attrs.size + 1);
    frame[0] = this.state.baseEnv;
    attrs.forEach((v, name) => {
      names.set(name, names.size + 1);
      frame[names.size] = v;
    });
    const code = this.compiler.compileTop(parse(source), source, new Scope(this.baseScope, names));
    return code(frame);
  }

  /** Parses (unless given the parse) and compiles source text in the base scope, returning the unforced result. */
  evalSource(source: Source, expr: Expr = parse(source)): Value {
    const code = this.compiler.compileTop(expr, source);
    return code(this.state.baseEnv);
  }

  /** Evaluates an expression given as text (`-E`, `--expr`); relative paths from `baseDir`. */
  evalString(text: string, baseDir: string, origin: "string" | "stdin" = "string"): Value {
    return this.evalSource({ origin, path: null, text, baseDir });
  }

  /** Evaluates a file (a link is followed first; a directory means its default.nix), once per evaluation. */
  evalFile(path: string): Value {
    const state = this.state;
    const resolved = resolveExprPath(state.io, path);
    const cached = state.fileCache.get(resolved);
    if (cached !== undefined) return cached;
    if (state.io.fileType(resolved) === null) throw new EvalError(`path '${resolved}' does not exist`);
    const text = state.io.readFile(resolved);
    const source: Source = { origin: "file", path: resolved, text, baseDir: resolved.slice(0, resolved.lastIndexOf("/")) || "/" };
    return this.evalParsedFile(source, undefined);
  }

  /**
   * Evaluates a file whose source was already read (and maybe parsed, e.g. to check its shape),
   * once per evaluation like `evalFile`.
   */
  evalParsedFile(source: Source, expr: Expr | undefined): Value {
    const state = this.state;
    const resolved = source.path!;
    const cached = state.fileCache.get(resolved);
    if (cached !== undefined) return cached;
    const thunk = new Thunk(() => {
      try {
        return this.evalSource(source, expr);
      } catch (e) {
        if (e instanceof EvalError) e.addTrace(`while evaluating the file '${resolved}':`, null, true);
        throw e;
      }
    }, []);
    state.fileCache.set(resolved, thunk);
    return thunk.force();
  }

  /** Forces a value to weak head normal form. */
  force(v: Value): Value {
    return v instanceof Thunk ? v.force() : v;
  }
}
