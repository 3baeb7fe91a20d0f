// Compiles the AST once into JS closures over slot-addressed environments. Variables are resolved
// to (depth, slot) at compile time; only `with` lookups stay dynamic. Evaluation never re-resolves.
import { COERCE_INTERPOLATE, COERCE_NO_COPY } from "./state.js";
import type { AttrDef, AttrName, Expr, Source } from "../lang/ast.js";
import { showExpr } from "../lang/show.js";
import { addNumbers, divNumbers, mulNumbers, subNumbers } from "./arith.js";
import { lessThan, valuesEqual } from "./compare.js";
import { EvalError } from "./errors.js";
import { expectAttrs, expectBool, expectList, typeError } from "./expect.js";
import { canonPath } from "./paths.js";
import { showValueForError } from "./print.js";
import { didYouMean, type EvalState } from "./state.js";
import {
  ArgFrame,
  ArgPair,
  Attrs,
  Keys,
  Lambda,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  Thunk,
  intToString,
  isString,
  mkString,
  unionContexts,
  updateAttrs as mergeAttrs,
  callCode,
  type AttrPositions,
  type Code,
  type Env,
  type FormalInfo,
  type LambdaInfo,
  type Pos,
  type Value,
} from "./value.js";
import { Scope } from "./scope.js";
import { forcedFirst, isVar } from "./strictness.js";

export { Scope };

/** Adds the dynamic attributes of a set literal (skipping null names; duplicates are errors). */
interface DynamicAttrs {
  intoMap(env: Env, map: Map<string, Value>): void;
  intoArrays(env: Env, names: string[], vals: Value[]): void;
}

/** How to get a lazily evaluated value without evaluating anything now. */
type Lazy =
  | { readonly constant: true; readonly value: Value }
  /** `eager`: the value's code, when it may be run in place of forcing the thunk (call arguments). */
  | { readonly constant: false; readonly make: Code; readonly eager?: Code | null };

const EMPTY_LIST: Value[] = [];

const builtinOps = new Set(["__sub", "__mul", "__div", "__lessThan"]);

export class Compiler {
  private source!: Source;

  constructor(
    private readonly state: EvalState,
    private readonly baseScope: Scope,
  ) {}

  /** Compiles a whole file or expression in the base scope. */
  compileTop(expr: Expr, source: Source, scope: Scope = this.baseScope): Code {
    const saved = this.source;
    this.source = source;
    try {
      return this.compile(expr, scope);
    } finally {
      this.source = saved;
    }
  }

  private pos(offset: number): Pos {
    return { source: this.source, offset };
  }

  /** Code that evaluates `e` (the result may still be an unforced thunk for variables). */
  compile(e: Expr, scope: Scope, name: string | null = null): Code {
    const state = this.state;
    switch (e.kind) {
      case "Int":
      case "Float":
      case "String":
      case "Path": {
        const v = constantOf(e)!;
        return () => v;
      }
      case "Var":
        return this.compileVar(e.name, e.pos, scope);
      case "InterpString":
        return this.compileInterpString(e.parts, scope, e.pos);
      case "InterpPath":
        return this.compileInterpPath(e.parts, scope, e.pos);
      case "Select":
        return this.compileSelect(e.expr, e.path, e.default, scope, e.pos);
      case "HasAttr":
        return this.compileHasAttr(e.expr, e.path, scope);
      case "Attrs":
        return this.compileAttrs(e, scope);
      case "List": {
        const elems = e.elems.map((x) => this.lazy(x, scope));
        if (elems.length === 0) return () => [];
        return (env) => {
          const out = new Array(elems.length);
          for (let i = 0; i < elems.length; i++) {
            const l = elems[i];
            out[i] = l.constant ? l.value : l.make(env);
          }
          return out;
        };
      }
      case "Lambda":
        return this.compileLambda(e, scope, name);
      case "Call":
        return this.compileCall(e.fn, e.args, scope, e.pos);
      case "Let":
        return this.compileLet(e, scope);
      case "With": {
        const withScope = new Scope(scope, null);
        const envLazy = this.lazy(e.env, scope);
        const body = this.compile(e.body, withScope);
        return (env) => {
          // Frames are all made with `new Array` (one elements kind for every env access).
          const frame = new Array(2);
          frame[0] = env;
          frame[1] = envLazy.constant ? envLazy.value : envLazy.make(env);
          return callCode(body, frame);
        };
      }
      case "If": {
        const cond = this.compile(e.cond, scope);
        const th = this.compile(e.then, scope);
        const el = this.compile(e.else, scope);
        const pos = this.pos(e.cond.pos);
        return (env) => {
          let c = callCode(cond, env);
          if (c instanceof Thunk) c = c.force();
          if (typeof c !== "boolean") throw typeError("a Boolean", c, "while evaluating a branch condition", pos);
          // One call site for both branches (see callCode).
          return callCode(c ? th : el, env);
        };
      }
      case "Assert": {
        const cond = this.compile(e.cond, scope);
        const body = this.compile(e.body, scope);
        const pos = this.pos(e.pos);
        const shown = showExpr(e.cond);
        const eq = e.cond.kind === "BinOp" && e.cond.op === "==" ? e.cond : null;
        const eqL = eq ? this.compile(eq.lhs, scope) : null;
        const eqR = eq ? this.compile(eq.rhs, scope) : null;
        return (env) => {
          const c = expectBool(callCode(cond, env), "in the condition of the assert statement", pos);
          if (c) return body(env);
          let reason: string | null = null;
          if (eqL && eqR) reason = explainInequality(eqL(env), eqR(env));
          const err = new EvalError(reason ?? `assertion '${shown}' failed`, "assert", pos);
          if (reason) err.addTrace(`while evaluating the condition of the assertion '${shown}'`, pos);
          throw err;
        };
      }
      case "Not": {
        const x = this.compile(e.expr, scope);
        const pos = this.pos(e.pos);
        return (env) => !expectBool(callCode(x, env), "in the argument of the not operator", pos);
      }
      case "BinOp":
        return this.compileBinOp(e.op, e.lhs, e.rhs, scope, e.pos);
      case "CurPos": {
        const pos = this.pos(e.pos);
        return () => state.posToAttrs(pos);
      }
      case "InheritSource":
        throw new Error("InheritSource outside inherit (e)");
    }
  }

  /** Code that yields the value lazily: constants and closures directly, variables by sharing. */
  lazy(e: Expr, scope: Scope, name: string | null = null): Lazy {
    const c = constantOf(e);
    if (c !== undefined) return { constant: true, value: c };
    if (e.kind === "Var") {
      const r = this.resolve(e.name, scope);
      if (r !== null) return { constant: false, make: this.compileVar(e.name, e.pos, scope) };
    }
    // Closures, lists and sets could be built eagerly, but Nix shows them as unevaluated
    // (`<CODE>`) in non-strict output, so they get thunks too; only `[ ]` is a value.
    if (e.kind === "List" && e.elems.length === 0) return { constant: true, value: EMPTY_LIST };
    const code = this.compile(e, scope, name);
    return { constant: false, make: (env) => new Thunk(code, env), eager: this.cheapToEvaluate(e, scope) ? code : null };
  }

  /**
   * Whether `e` is an operator application or attribute selection: as the argument of a call
   * whose body forces it first, it is evaluated right away rather than made a thunk.
   */
  private cheapToEvaluate(e: Expr, scope: Scope): boolean {
    switch (e.kind) {
      case "BinOp":
      case "Not":
      case "Select":
      case "HasAttr":
        return true;
      case "Call":
        return e.fn.kind === "Var" && builtinOps.has(e.fn.name) && e.args.length === 2 && this.isBuiltin(e.fn.name, scope);
    }
    return false;
  }

  private resolve(name: string, scope: Scope): { depth: number; slot: number; scope: Scope } | null {
    return scope.resolve(name);
  }

  private compileVar(name: string, offset: number, scope: Scope): Code {
    const r = this.resolve(name, scope);
    if (r !== null && hasArgFrame(scope, r.depth)) return argFrameVar(scope, r.depth, r.slot);
    if (r !== null) {
      const { depth, slot } = r;
      switch (depth) {
        case 0:
          return (env) => env[slot];
        case 1:
          return (env) => env[0][slot];
        case 2:
          return (env) => env[0][0][slot];
        case 3:
          return (env) => env[0][0][0][slot];
        case 4:
          return (env) => env[0][0][0][0][slot];
        case 5:
          return (env) => env[0][0][0][0][0][slot];
        case 6:
          return (env) => env[0][0][0][0][0][0][slot];
        default:
          return (env) => {
            for (let i = 0; i < depth; i++) env = env[0];
            return env[slot];
          };
      }
    }
    // Not lexically bound: look it up in the enclosing `with` scopes, innermost first.
    const withDepths: number[] = [];
    let depth = 0;
    for (let s: Scope | null = scope; s !== null; s = s.parent, depth++) if (s.names === null) withDepths.push(depth);
    const pos = this.pos(offset);
    if (withDepths.length === 0) throw new EvalError(`undefined variable '${name}'`, "eval", pos);
    const argFrameHops: boolean[] = [];
    for (let s: Scope | null = scope; s !== null; s = s.parent) argFrameHops.push(s.argFrame);
    return (env) => {
      let frame = env;
      let at = 0;
      for (const d of withDepths) {
        while (at < d) {
          frame = argFrameHops[at] ? frame.p : frame[0];
          at++;
        }
        let set = frame[1];
        if (set instanceof Thunk) set = set.force();
        if (!(set instanceof Attrs)) {
          throw typeError("a set", set, "while evaluating the first subexpression of a with expression", pos);
        }
        frame[1] = set;
        const v = set.get(name);
        if (v !== undefined) return v;
      }
      throw new EvalError(`undefined variable '${name}'`, "eval", pos);
    };
  }

  private compileInterpString(parts: readonly (string | Expr)[], scope: Scope, offset: number): Code {
    const state = this.state;
    const codes = parts.map((p) => (typeof p === "string" ? p : this.compile(p, scope)));
    const pos = this.pos(offset);
    // The common shapes get closures without the loop: "${a}${b}", "text${a}", "${a}text".
    if (codes.length === 2) {
      const [c0, c1] = codes;
      if (typeof c0 !== "string" && typeof c1 !== "string") {
        return (env) => {
          const l = interpolated(state, callCode(c0, env), pos);
          const r = interpolated(state, callCode(c1, env), pos);
          if (typeof l === "string" && typeof r === "string") return l + r;
          return joinWithContext(l, r);
        };
      }
      if (typeof c0 === "string" && typeof c1 !== "string") {
        return (env) => {
          const r = interpolated(state, callCode(c1, env), pos);
          return typeof r === "string" ? c0 + r : mkString(c0 + r.s, r.ctx);
        };
      }
      if (typeof c0 !== "string" && typeof c1 === "string") {
        return (env) => {
          const l = interpolated(state, callCode(c0, env), pos);
          return typeof l === "string" ? l + c1 : mkString(l.s + c1, l.ctx);
        };
      }
    }
    return (env) => {
      let s = "";
      let ctx: Set<string> | null = null;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i];
        if (typeof c === "string") {
          s += c;
          continue;
        }
        const r = interpolated(state, callCode(c, env), pos);
        if (typeof r === "string") s += r;
        else {
          s += r.s;
          ctx ??= new Set();
          for (const x of r.ctx) ctx.add(x);
        }
      }
      return mkString(s, ctx);
    };
  }

  private compileInterpPath(parts: readonly (string | Expr)[], scope: Scope, offset: number): Code {
    const state = this.state;
    const codes = parts.map((p) => (typeof p === "string" ? p : this.compile(p, scope)));
    const pos = this.pos(offset);
    return (env) => {
      let s = "";
      for (const c of codes) {
        if (typeof c === "string") s += c;
        else {
          const r = state.coerceToString(callCode(c, env), COERCE_NO_COPY, pos);
          if (typeof r !== "string") {
            throw new EvalError("a string that refers to a store path cannot be appended to a path", "eval", pos);
          }
          s += r;
        }
      }
      return new NixPath(canonPath(s));
    };
  }

  /** Static names are resolved at compile time; dynamic ones are evaluated to plain strings. */
  private attrNameCode(n: AttrName, scope: Scope): string | Code {
    if (n.kind === "static") return n.name;
    const code = this.compile(n.expr, scope);
    const pos = this.pos(n.pos);
    return (env) => {
      let v = callCode(code, env);
      if (v instanceof Thunk) v = v.force();
      if (typeof v === "string") return v;
      if (v instanceof NixString) return this.state.plainString(v, null, pos);
      throw typeError("a string", v, "while evaluating an attribute name", pos);
    };
  }

  private compileSelect(target: Expr, path: readonly AttrName[], def: Expr | null, scope: Scope, offset: number): Code {
    const t = this.compile(target, scope);
    const names = path.map((n) => this.attrNameCode(n, scope));
    const d = def ? this.compile(def, scope) : null;
    const pos = this.pos(offset);
    const describe = (upto: number, env: Env): string =>
      names
        .slice(0, upto + 1)
        .map((n) => (typeof n === "string" ? n : String(n(env))))
        .join(".");
    if (names.length === 1 && typeof names[0] === "string" && d === null) {
      const name = names[0];
      return (env) => {
        let v = callCode(t, env);
        if (v instanceof Thunk) v = v.force();
        if (v instanceof Attrs) {
          const r = v.get(name);
          if (r !== undefined) return r;
          throw missingAttr(name, v, pos);
        }
        throw typeError("a set", v, `while evaluating the attribute '${name}'`, pos);
      };
    }
    if (names.length === 1 && typeof names[0] !== "string" && d === null) {
      // `set.${name}`: the name is evaluated after the set, as in the general case below.
      const nameCode = names[0];
      return (env) => {
        let v = callCode(t, env);
        if (v instanceof Thunk) v = v.force();
        const name = nameCode(env) as string;
        if (v instanceof Attrs) {
          const r = v.get(name);
          if (r !== undefined) return r;
          throw missingAttr(name, v, pos);
        }
        throw typeError("a set", v, `while evaluating the attribute '${describe(0, env)}'`, pos);
      };
    }
    return (env) => {
      let v = callCode(t, env);
      for (let i = 0; i < names.length; i++) {
        if (v instanceof Thunk) v = v.force();
        const n = names[i];
        const name = typeof n === "string" ? n : (n(env) as string);
        if (!(v instanceof Attrs)) {
          if (d !== null) return d(env);
          throw typeError("a set", v, `while evaluating the attribute '${describe(i, env)}'`, pos);
        }
        const r = v.get(name);
        if (r === undefined) {
          if (d !== null) return d(env);
          throw missingAttr(name, v, pos);
        }
        v = r;
      }
      return v;
    };
  }

  private compileHasAttr(target: Expr, path: readonly AttrName[], scope: Scope): Code {
    const t = this.compile(target, scope);
    const names = path.map((n) => this.attrNameCode(n, scope));
    if (names.length === 1) {
      const n = names[0];
      return (env) => {
        let v = callCode(t, env);
        if (v instanceof Thunk) v = v.force();
        if (!(v instanceof Attrs)) return false;
        return v.has(typeof n === "string" ? n : (n(env) as string));
      };
    }
    return (env) => {
      let v = callCode(t, env);
      for (const n of names) {
        if (v instanceof Thunk) v = v.force();
        if (!(v instanceof Attrs)) return false;
        const r = v.get(typeof n === "string" ? n : (n(env) as string));
        if (r === undefined) return false;
        v = r;
      }
      return true;
    };
  }

  private positionsOf(attrs: readonly AttrDef[]): AttrPositions {
    return { source: this.source, offsets: new Map(attrs.map((a) => [a.name, a.pos])) };
  }

  private compileAttrs(e: Extract<Expr, { kind: "Attrs" }>, scope: Scope): Code {
    const positions = this.positionsOf(e.attrs);
    if (!e.rec) {
      // Plain set: values live in the enclosing scope (plus a frame for `inherit (e)` sources).
      const inner = e.inheritFrom.length > 0 ? new Scope(scope, new Map()) : scope;
      const sources = e.inheritFrom.map((x) => this.compile(x, scope));
      const values = e.attrs.map((a) => ({ name: a.name, lazy: this.lazyAttr(a, inner, inner, sources) }));
      const dyn = this.compileDynamic(e.dynamic, inner, positions);
      // Without dynamic attributes every set built here has the same names: share them.
      const staticNames = values.map((v) => v.name);
      const keys = dyn === null ? Keys.of(staticNames.slice()) : null;
      return (env) => {
        let frame = env;
        if (sources.length > 0) {
          frame = new Array(sources.length + 1);
          frame[0] = env;
          for (let i = 0; i < sources.length; i++) frame[i + 1] = new Thunk(sources[i], env);
        }
        if (keys !== null) {
          const vals = new Array(values.length);
          for (let i = 0; i < values.length; i++) {
            const l = values[i].lazy;
            vals[i] = l.constant ? l.value : l.make(frame);
          }
          return Attrs.fromKeys(keys, vals, positions);
        }
        // Dynamic attributes: the static names, then the dynamic ones in order.
        const names = staticNames.slice();
        const vals: Value[] = new Array(values.length);
        for (let i = 0; i < values.length; i++) {
          const l = values[i].lazy;
          vals[i] = l.constant ? l.value : l.make(frame);
        }
        dyn!.intoArrays(frame, names, vals);
        return Attrs.fromKeys(Keys.of(names), vals, positions);
      };
    }
    // rec: every static attribute is a slot of a new frame, visible to all values.
    const { frameSize, init } = this.compileRecursiveBindings(e.attrs, e.inheritFrom, scope);
    const recScope = init.scope;
    const dyn = this.compileDynamic(e.dynamic, recScope, positions);
    const names = e.attrs.map((a) => a.name);
    const overridesSlot = names.indexOf("__overrides") + 1;
    const state = this.state;
    const keys = dyn === null && overridesSlot === 0 ? Keys.of(names.slice()) : null;
    return (env) => {
      const frame = new Array(frameSize + 1);
      frame[0] = env;
      init.fill(frame);
      if (keys !== null) return Attrs.fromKeys(keys, frame.slice(1, names.length + 1), positions);
      const map = new Map<string, Value>();
      for (let i = 0; i < names.length; i++) map.set(names[i], frame[i + 1]);
      if (overridesSlot > 0) {
        // Legacy: `__overrides` replaces attributes, also as seen by the other rec attributes.
        const o = expectAttrs(frame[overridesSlot], "while evaluating the `__overrides` attribute", null);
        for (const [name, v] of o.map) {
          map.set(name, v);
          const slot = names.indexOf(name);
          if (slot >= 0) frame[slot + 1] = v;
        }
        void state;
      }
      if (dyn !== null) dyn.intoMap(frame, map);
      return new Attrs(map, positions);
    };
  }

  /** Slots 1..n hold the bindings, then the `inherit (e)` sources. */
  private compileRecursiveBindings(
    attrs: readonly AttrDef[],
    inheritFrom: readonly Expr[],
    scope: Scope,
  ): { frameSize: number; init: { scope: Scope; fill: (frame: Env) => void } } {
    const names = new Map<string, number>();
    attrs.forEach((a, i) => names.set(a.name, i + 1));
    const recScope = new Scope(scope, names);
    const srcBase = attrs.length + 1;
    const sources = inheritFrom.map((x) => this.compile(x, recScope));
    const values = attrs.map((a) => this.recursiveBinding(a, recScope, scope, sources, srcBase));
    const frameSize = attrs.length + sources.length;
    const fill = (frame: Env): void => {
      for (let i = 0; i < sources.length; i++) frame[srcBase + i] = new Thunk(sources[i], frame);
      for (let i = 0; i < values.length; i++) {
        const l = values[i];
        frame[i + 1] = l.constant ? l.value : l.make(frame);
      }
    };
    return { frameSize, init: { scope: recScope, fill } };
  }

  /** The value of a binding of a recursive frame (`let`, `rec`), made when the frame is filled. */
  private recursiveBinding(a: AttrDef, recScope: Scope, scope: Scope, sources: Code[], srcBase: number): Lazy {
    // A binding may refer to slots of this frame that are filled after it, so anything but a
    // constant, a closure or an outer reference must be a thunk here.
    const l = this.lazyAttr(a, recScope, scope, sources, srcBase);
    if (a.inherit !== "none" || l.constant || a.value.kind !== "Var") return l;
    // A variable of an outer frame (filled before this one) or a binding filled earlier in this
    // frame is shared, as in Nix (so a list of one or two elements it holds prints as the same
    // list, «repeated»); not where `__overrides` may replace a slot after the frame is filled.
    const target = this.resolve(a.value.name, recScope);
    const own = this.resolve(a.name, recScope);
    const overridable = this.resolve("__overrides", recScope)?.depth === 0;
    if (target !== null && own !== null && own.depth === 0 && (target.depth > 0 || target.slot < own.slot) && !overridable) return l;
    const code = this.compile(a.value, recScope, a.name);
    return { constant: false, make: (frame) => new Thunk(code, frame) };
  }

  /**
   * A binding's value. `inner` is the scope its value is compiled in, `outer` the scope of plain
   * `inherit x;`. For rec scopes `inner` is the rec frame and `outer` its parent.
   */
  private lazyAttr(a: AttrDef, inner: Scope, outer: Scope, sources: Code[], srcBase = 1): Lazy {
    if (a.inherit === "plain") {
      if (inner === outer) return this.lazy(a.value, inner);
      const l = this.lazy(a.value, outer);
      if (l.constant) return l;
      const make = l.make;
      return { constant: false, make: (frame) => make(frame[0]) };
    }
    if (a.inherit === "from") {
      // value is Select(InheritSource(i), [name]); the source sits in the frame at srcBase + i.
      const sel = a.value as Extract<Expr, { kind: "Select" }>;
      const src = sel.expr as Extract<Expr, { kind: "InheritSource" }>;
      const slot = srcBase + src.index;
      const name = a.name;
      const pos = this.pos(a.pos);
      void sources;
      const code: Code = (frame) => {
        let s = frame[slot];
        if (s instanceof Thunk) s = s.force();
        const set = expectAttrs(s, `while evaluating the attribute '${name}'`, pos);
        const v = set.get(name);
        if (v === undefined) throw missingAttr(name, set, pos);
        return v;
      };
      return { constant: false, make: (frame) => new Thunk(code, frame) };
    }
    return this.lazy(a.value, inner, a.name);
  }

  /** Dynamic attributes `${n} = v;`: evaluated after the static ones, null names skipped. */
  private compileDynamic(
    dyn: readonly { name: Expr; value: Expr; pos: number }[],
    scope: Scope,
    positions: AttrPositions,
  ): DynamicAttrs | null {
    if (dyn.length === 0) return null;
    const items = dyn.map((d) => ({ name: this.compile(d.name, scope), value: this.lazy(d.value, scope), pos: this.pos(d.pos), lastName: null as string | null }));
    const state = this.state;
    const nameOf = (it: (typeof items)[number], env: Env): string | null => {
      let n = callCode(it.name, env);
      if (n instanceof Thunk) n = n.force();
      if (n === null) return null;
      if (typeof n === "string") return n;
      if (n instanceof NixString) return state.plainString(n, null, it.pos);
      throw typeError("a string", n, "while evaluating the name of a dynamic attribute", it.pos);
    };
    const duplicate = (it: (typeof items)[number], name: string): EvalError => {
      const earlier = positions.offsets.get(name) ?? items.find((x) => x !== it && x.lastName === name)?.pos.offset ?? it.pos.offset;
      return new EvalError(`dynamic attribute '${name}' already defined at ${state.formatPos({ source: it.pos.source, offset: earlier })}`, "eval", it.pos);
    };
    return {
      intoMap: (env, map) => {
        for (const it of items) {
          const name = nameOf(it, env);
          if (name === null) continue;
          if (map.has(name)) throw duplicate(it, name);
          it.lastName = name;
          map.set(name, it.value.constant ? it.value.value : it.value.make(env));
        }
      },
      intoArrays: (env, names, vals) => {
        let seen: Set<string> | null = null;
        for (const it of items) {
          const name = nameOf(it, env);
          if (name === null) continue;
          let dup: boolean;
          if (names.length <= 16) dup = names.includes(name);
          else {
            if (seen === null) seen = new Set(names);
            dup = seen.has(name);
          }
          if (dup) throw duplicate(it, name);
          if (seen !== null) seen.add(name);
          it.lastName = name;
          names.push(name);
          vals.push(it.value.constant ? it.value.value : it.value.make(env));
        }
      },
    };
  }

  private compileLet(e: Extract<Expr, { kind: "Let" }>, scope: Scope): Code {
    const small = this.compileSmallLet(e, scope);
    if (small !== null) return small;
    const { frameSize, init } = this.compileRecursiveBindings(e.attrs, e.inheritFrom, scope);
    const body = this.compile(e.body, init.scope);
    return (env) => {
      const frame = new Array(frameSize + 1);
      frame[0] = env;
      init.fill(frame);
      return callCode(body, frame);
    };
  }

  /**
   * A `let` of one or two plain bindings (most lets): its frame is an ArgFrame (ArgPair for two),
   * read like a lambda's argument, instead of an array. One 40-byte object where an array frame is
   * two objects of 64 bytes together, which matters to the garbage collector when a recursion's
   * frames stay alive. The frame is made first and filled after: a binding's thunk closes over it.
   */
  private compileSmallLet(e: Extract<Expr, { kind: "Let" }>, scope: Scope): Code | null {
    const attrs = e.attrs;
    if (e.inheritFrom.length !== 0 || attrs.length === 0 || attrs.length > 2) return null;
    if (attrs.some((a) => a.inherit !== "none")) return null;
    const names = new Map<string, number>();
    attrs.forEach((a, i) => names.set(a.name, i + 1));
    const letScope = new Scope(scope, names, true);
    const values = attrs.map((a) => this.recursiveBinding(a, letScope, scope, [], attrs.length + 1));
    const body = this.compile(e.body, letScope);
    const v0 = values[0];
    if (values.length === 1) {
      return (env) => {
        const frame = new ArgFrame(env, null);
        frame.a = v0.constant ? v0.value : v0.make(frame);
        return callCode(body, frame);
      };
    }
    const v1 = values[1];
    return (env) => {
      const frame = new ArgPair(env, null, null);
      frame.a = v0.constant ? v0.value : v0.make(frame);
      frame.b = v1.constant ? v1.value : v1.make(frame);
      return callCode(body, frame);
    };
  }

  private compileLambda(e: Extract<Expr, { kind: "Lambda" }>, scope: Scope, name: string | null): Code {
    const info = this.lambdaInfo(e, scope, name);
    return (env) => new Lambda(info, env);
  }

  /**
   * `pairWith`: the argument name of the enclosing plain lambda when `e` is the inner lambda of
   * `x: y: body` (both plain): `e`'s frame is then an ArgPair holding x and y, over `scope`, the
   * scope outside `x: …`.
   */
  private lambdaInfo(e: Extract<Expr, { kind: "Lambda" }>, scope: Scope, name: string | null, pairWith: string | null = null): LambdaInfo {
    const names = new Map<string, number>();
    let slot = 1;
    if (pairWith !== null) names.set(pairWith, slot++);
    const argSlot = e.arg !== null ? slot++ : -1;
    if (e.arg !== null) names.set(e.arg, argSlot);
    const formalSlots: number[] = [];
    if (e.formals) for (const f of e.formals.formals) {
      formalSlots.push(slot);
      names.set(f.name, slot++);
    }
    const plain = e.formals === null && e.arg !== null;
    const inner = new Scope(scope, names, plain);
    // Which arguments a call may evaluate up front (see strictness.ts).
    const forced = plain ? forcedFirst(e.body, inner, (n, s) => this.isBuiltin(n, s)) : [];
    const strictArg = isVar(forced[0], inner, argSlot);
    const strictOuterArg = pairWith !== null ? isVar(forced[0], inner, 1) : plain && scope.argFrame && isVar(forced[0], scope, 1);
    const strictBothArgs = strictOuterArg && isVar(forced[1], inner, argSlot);
    const errorPos = (at: number | null | undefined): Pos | null => (at === null || at === undefined ? null : this.pos(at));
    const formals: FormalInfo[] | null = e.formals
      ? e.formals.formals.map((f, i) => ({ name: f.name, slot: formalSlots[i], default: f.default ? this.compile(f.default, inner) : null, pos: f.pos }))
      : null;
    const info: LambdaInfo = {
      name,
      pos: this.pos(e.pos),
      slots: slot - 1,
      argSlot,
      argName: e.arg,
      formals,
      formalNames: formals ? new Set(formals.map((f) => f.name)) : null,
      ellipsis: e.formals?.ellipsis ?? false,
      body: null as unknown as Code,
      inner: null,
      strictArg,
      strictOuterArg,
      strictBothArgs,
      strictArgAt: errorPos(strictArg ? forced[0].errorAt : strictBothArgs ? forced[1].errorAt : null),
      strictOuterArgAt: errorPos(strictOuterArg ? forced[0].errorAt : null),
      pair: pairWith !== null,
    };
    if (e.body.kind === "Lambda") {
      // `x: y: …`: the body only creates a closure of the inner lambda over this call's frame.
      const pairs = plain && pairWith === null && e.body.formals === null && e.body.arg !== null;
      const innerInfo = pairs ? this.lambdaInfo(e.body, scope, null, e.arg) : this.lambdaInfo(e.body, inner, null);
      (info as { inner: LambdaInfo | null }).inner = innerInfo;
      (info as { body: Code }).body = (env) => new Lambda(innerInfo, env);
    } else {
      (info as { body: Code }).body = this.compile(e.body, inner);
    }
    return info;
  }

  private compileCall(fnExpr: Expr, argExprs: readonly Expr[], scope: Scope, offset: number): Code {
    const state = this.state;
    const pos = this.pos(offset);
    if (argExprs.length === 1 && fnExpr.kind === "Var" && fnExpr.name === "toString" && this.isBuiltin("toString", scope)) {
      const direct = this.compileToStringCall(argExprs[0], scope, pos);
      if (direct !== null) return direct;
    }
    // Desugared operators bound to the builtins get a direct, allocation-free path.
    if (fnExpr.kind === "Var" && builtinOps.has(fnExpr.name) && argExprs.length === 2 && this.isBuiltin(fnExpr.name, scope)) {
      const a = this.compile(argExprs[0], scope);
      const b = this.compile(argExprs[1], scope);
      switch (fnExpr.name) {
        case "__sub":
          return (env) => {
            let x = callCode(a, env);
            let y = callCode(b, env);
            if (x instanceof Thunk) x = x.force();
            if (y instanceof Thunk) y = y.force();
            if (typeof x === "number" && typeof y === "number") {
              const r = x - y;
              if (Number.isSafeInteger(r)) return r;
            }
            return subAt(x, y, pos);
          };
        case "__mul":
          return (env) => {
            // Errors anywhere in here get the operator's position (as withPos would add).
            try {
              let x = callCode(a, env);
              const y = callCode(b, env);
              if (x instanceof Thunk) x = x.force();
              if (typeof x === "number") {
                const yv = y instanceof Thunk ? y.force() : y;
                if (typeof yv === "number") {
                  const r = x * yv;
                  if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
                }
                return mulNumbers(x, yv);
              }
              return mulNumbers(x, y);
            } catch (e) {
              if (e instanceof EvalError) e.at(pos);
              throw e;
            }
          };
        case "__div":
          return (env) => {
            try {
              let x = callCode(a, env);
              const y = callCode(b, env);
              if (x instanceof Thunk) x = x.force();
              if (typeof x === "number") {
                const yv = y instanceof Thunk ? y.force() : y;
                if (typeof yv === "number" && yv !== 0) {
                  const r = Math.trunc(x / yv);
                  return r === 0 ? 0 : r;
                }
                return divNumbers(x, yv);
              }
              return divNumbers(x, y);
            } catch (e) {
              if (e instanceof EvalError) e.at(pos);
              throw e;
            }
          };
        case "__lessThan":
          return (env) => {
            let x = callCode(a, env);
            let y = callCode(b, env);
            if (x instanceof Thunk) x = x.force();
            if (y instanceof Thunk) y = y.force();
            if (typeof x === "number" && typeof y === "number") return x < y;
            return lessThanAt(x, y, pos);
          };
      }
    }
    const fn = this.compile(fnExpr, scope);
    const args = argExprs.map((x) => this.lazy(x, scope));
    if (args.length === 1) {
      const a0 = args[0];
      const eager0 = a0.constant ? null : (a0.eager ?? null);
      if (eager0 !== null) {
        const make0 = (a0 as { make: Code }).make;
        return (env) => {
          let f = callCode(fn, env);
          if (f instanceof Thunk) f = f.force();
          if (f instanceof Lambda) {
            // A body that forces its argument first gets it evaluated (no thunk), unless the
            // call is about to fail with "stack overflow", which must come first.
            const info = f.info;
            const arg = info.strictArg === true && state.callDepth < state.maxCallDepth ? evalNow(eager0, env, info.strictArgAt ?? null) : make0(env);
            return state.callInfo(info, f.env, arg, pos);
          }
          return state.call1(f, make0(env), pos);
        };
      }
      return (env) => {
        let f = callCode(fn, env);
        if (f instanceof Thunk) f = f.force();
        const arg = a0.constant ? a0.value : a0.make(env);
        if (f instanceof Lambda) return state.callInfo(f.info, f.env, arg, pos);
        return state.call1(f, arg, pos);
      };
    }
    if (args.length === 2) {
      const a0 = args[0];
      const a1 = args[1];
      const eager0 = a0.constant ? null : (a0.eager ?? null);
      const eager1 = a1.constant ? null : (a1.eager ?? null);
      if (eager0 !== null || eager1 !== null) {
        return (env) => {
          let f = callCode(fn, env);
          if (f instanceof Thunk) f = f.force();
          if (f instanceof Lambda) {
            const info = f.info;
            const inner = info.inner;
            if (info.formals === null && inner != null && info.pair !== true && state.callDepth < state.maxCallDepth) {
              // `x: y: body` forcing x first (and maybe y next), or y first: those arguments are
              // evaluated here, in the order the body would force them.
              let x: Value;
              if (eager0 !== null && inner.strictOuterArg === true) x = evalNow(eager0, env, inner.strictOuterArgAt ?? null);
              else x = a0.constant ? a0.value : a0.make(env);
              let y: Value;
              if (eager1 !== null && (inner.strictOuterArg === true ? inner.strictBothArgs === true && !(x instanceof Thunk) : inner.strictArg === true)) {
                y = evalNow(eager1, env, inner.strictArgAt ?? null);
              } else y = a1.constant ? a1.value : a1.make(env);
              return state.callCurried(inner, f.env, x, y, pos);
            }
          }
          const x = a0.constant ? a0.value : a0.make(env);
          const y = a1.constant ? a1.value : a1.make(env);
          return state.call2(f, x, y, pos);
        };
      }
      return (env) => {
        const x = a0.constant ? a0.value : a0.make(env);
        const y = a1.constant ? a1.value : a1.make(env);
        return state.call2(callCode(fn, env), x, y, pos);
      };
    }
    return (env) => {
      const vals = new Array(args.length);
      for (let i = 0; i < args.length; i++) {
        const l = args[i];
        vals[i] = l.constant ? l.value : l.make(env);
      }
      return state.call(callCode(fn, env), vals, pos);
    };
  }

  /**
   * `toString x` with the global builtin: strings and integers (most calls) are converted right
   * here, without the argument thunk and array a call builds; everything else goes to the
   * builtin. Errors get the trace line the call through the builtin would add.
   */
  private compileToStringCall(argExpr: Expr, scope: Scope, pos: Pos): Code | null {
    const state = this.state;
    const prim = state.builtins.get("toString");
    if (!(prim instanceof PrimOp) || prim.arity !== 1) return null;
    const arg = this.compile(argExpr, scope);
    const trace = `while calling the '${prim.name}' builtin`;
    return (env) => {
      let v: Value;
      try {
        v = callCode(arg, env);
        if (v instanceof Thunk) v = v.force();
      } catch (e) {
        if (e instanceof EvalError && prim.addTrace) e.addTrace(trace, pos);
        throw e;
      }
      if (typeof v === "string") return v;
      if (typeof v === "number") return intToString(v);
      return state.callPrimOp(prim, [v], pos);
    };
  }

  private isBuiltin(name: string, scope: Scope): boolean {
    let depth = 0;
    for (let s: Scope | null = scope; s !== null; s = s.parent, depth++) {
      if (s.names !== null && s.names.has(name)) return s === this.baseScope;
    }
    return false;
  }

  private compileBinOp(op: string, lhs: Expr, rhs: Expr, scope: Scope, offset: number): Code {
    const state = this.state;
    const a = this.compile(lhs, scope);
    const b = this.compile(rhs, scope);
    const pos = this.pos(offset);
    switch (op) {
      case "==":
        return (env) => equalOperands(callCode(a, env), callCode(b, env));
      case "!=":
        return (env) => !equalOperands(callCode(a, env), callCode(b, env));
      case "&&":
        return (env) =>
          expectBool(callCode(a, env), "in the left operand of the AND (&&) operator", pos) &&
          expectBool(callCode(b, env), "in the right operand of the AND (&&) operator", pos);
      case "||":
        return (env) =>
          expectBool(callCode(a, env), "in the left operand of the OR (||) operator", pos) ||
          expectBool(callCode(b, env), "in the right operand of the OR (||) operator", pos);
      case "->":
        return (env) =>
          !expectBool(callCode(a, env), "in the left operand of the IMPL (->) operator", pos) ||
          expectBool(callCode(b, env), "in the right operand of the IMPL (->) operator", pos);
      case "//":
        return (env) => {
          const r = expectAttrs(callCode(b, env), "in the right operand of the update (//) operator", pos);
          const l = expectAttrs(callCode(a, env), "in the left operand of the update (//) operator", pos);
          return updateAttrs(l, r);
        };
      case "++":
        return (env) => {
          const l = expectList(callCode(a, env), "in the left operand of the list concatenation (++) operator", pos);
          const r = expectList(callCode(b, env), "in the right operand of the list concatenation (++) operator", pos);
          return l.length === 0 ? r : r.length === 0 ? l : l.concat(r);
        };
      case "+":
        return (env) => {
          let x = callCode(a, env);
          if (x instanceof Thunk) x = x.force();
          if (typeof x === "number") {
            let y = callCode(b, env);
            if (y instanceof Thunk) y = y.force();
            if (typeof y === "number") {
              const r = x + y;
              if (Number.isSafeInteger(r)) return r;
            }
            return addAt(x, y, pos);
          }
          if (typeof x === "string") {
            let y = callCode(b, env);
            if (y instanceof Thunk) y = y.force();
            if (typeof y === "string") return x + y;
            return state.concatStrings(x, y, pos);
          }
          if (typeof x === "bigint" || x instanceof NixFloat) return addAtLazy(x, b, env, pos);
          return state.concatStrings(x, callCode(b, env), pos);
        };
    }
    throw new Error(`unknown operator ${op}`);
  }
}

// The slow paths of the arithmetic operators: errors get the operator's position. (Separate
// functions rather than closures: a closure capturing the operands would make every evaluation
// of the operator allocate a context for them, fast path included.)

function subAt(x: Value, y: Value, pos: Pos): Value {
  try {
    return subNumbers(x, y);
  } catch (e) {
    if (e instanceof EvalError) e.at(pos);
    throw e;
  }
}

function lessThanAt(x: Value, y: Value, pos: Pos): boolean {
  try {
    return lessThan(x, y);
  } catch (e) {
    if (e instanceof EvalError) e.at(pos);
    throw e;
  }
}

function addAt(x: number | bigint | NixFloat, y: Value, pos: Pos): Value {
  try {
    return addNumbers(x, y);
  } catch (e) {
    if (e instanceof EvalError) e.at(pos);
    throw e;
  }
}

/** `x + b` for a non-int x, evaluating b here. */
function addAtLazy(x: bigint | NixFloat, b: Code, env: Env, pos: Pos): Value {
  try {
    return addNumbers(x, callCode(b, env));
  } catch (e) {
    if (e instanceof EvalError) e.at(pos);
    throw e;
  }
}

export function updateAttrs(l: Attrs, r: Attrs): Attrs {
  if (l.size === 0) return r;
  if (r.size === 0) return l;
  const rp = r.positions;
  const positions = rp === null ? l.positions : l.positions === null ? rp : new UpdatePositions(rp, l.positions);
  return mergeAttrs(l, r, positions);
}

/** Positions of `l // r`: r's, then (through `fallback`) l's. */
class UpdatePositions implements AttrPositions {
  constructor(
    private readonly right: AttrPositions,
    readonly fallback: AttrPositions,
  ) {}
  get source(): Source {
    return this.right.source;
  }
  get offsets(): ReadonlyMap<string, number> {
    return this.right.offsets;
  }
}

/** Whether any frame from `scope` up to `depth` levels out is an ArgFrame. */
function hasArgFrame(scope: Scope, depth: number): boolean {
  let s: Scope | null = scope;
  for (let i = 0; i <= depth && s !== null; i++, s = s.parent) if (s.argFrame) return true;
  return false;
}

/** Code reading `slot` of the frame `depth` levels out when ArgFrames lie on the way. */
function argFrameVar(scope: Scope, depth: number, slot: number): Code {
  const hops: boolean[] = [];
  let s: Scope = scope;
  for (let i = 0; i < depth; i++, s = s.parent!) hops.push(s.argFrame);
  const last = s.argFrame;
  const h0 = hops[0];
  if (last && slot === 2) {
    // The second argument of an ArgPair.
    if (depth === 0) return (env) => env.b;
    if (depth === 1 && h0) return (env) => env.p.b;
    return (env) => {
      for (let i = 0; i < hops.length; i++) env = hops[i] ? env.p : env[0];
      return env.b;
    };
  }
  switch (depth) {
    case 0:
      return last ? (env) => env.a : (env) => env[slot];
    case 1:
      if (h0) return last ? (env) => env.p.a : (env) => env.p[slot];
      return (env) => env[0].a;
    case 2: {
      const h1 = hops[1];
      if (h0 && h1) return last ? (env) => env.p.p.a : (env) => env.p.p[slot];
      if (h0) return last ? (env) => env.p[0].a : (env) => env.p[0][slot];
      if (h1) return last ? (env) => env[0].p.a : (env) => env[0].p[slot];
      return (env) => env[0][0].a;
    }
  }
  return (env) => {
    for (let i = 0; i < hops.length; i++) env = hops[i] ? env.p : env[0];
    return last ? env.a : env[slot];
  };
}

/** `x == y`: both forced, left first; ints and plain strings compared directly. */
function equalOperands(x: Value, y: Value): boolean {
  if (x instanceof Thunk) x = x.force();
  if (y instanceof Thunk) y = y.force();
  if (typeof x === "number" && typeof y === "number") return x === y;
  if (typeof x === "string" && typeof y === "string") return x === y;
  return valuesEqual(x, y, true);
}

/**
 * What forcing a thunk of `code` over `env` would give, without the thunk. `errorPos`: the
 * position the body that would have forced the thunk gives errors that have none.
 */
function evalNow(code: Code, env: Env, errorPos: Pos | null): Value {
  if (errorPos !== null) return evalNowAt(code, env, errorPos);
  const v = callCode(code, env);
  return v instanceof Thunk ? v.force() : v;
}

function evalNowAt(code: Code, env: Env, errorPos: Pos): Value {
  try {
    const v = callCode(code, env);
    return v instanceof Thunk ? v.force() : v;
  } catch (e) {
    if (e instanceof EvalError) e.at(errorPos);
    throw e;
  }
}

function missingAttr(name: string, set: Attrs, pos: Pos): EvalError {
  const e = new EvalError(`attribute '${name}' missing`, "eval", pos);
  e.hint = didYouMean(name, set.keys());
  return e;
}

function constantOf(e: Expr): Value | undefined {
  switch (e.kind) {
    case "Int":
      return e.value;
    case "Float":
      return new NixFloat(e.value);
    case "String":
      return e.value;
    case "Path":
      return new NixPath(e.value);
  }
  return undefined;
}

/** Modern Nix explains a failed `assert a == b;` instead of printing the condition. */
function explainInequality(a: Value, b: Value): string | null {
  if (a instanceof Thunk) a = a.force();
  if (b instanceof Thunk) b = b.force();
  const kindOf = (v: Value): string => {
    if (isString(v)) return "string";
    if (typeof v === "number" || typeof v === "bigint") return "an integer";
    if (v instanceof NixFloat) return "a float";
    if (typeof v === "boolean") return "a Boolean";
    if (v === null) return "null";
    return "";
  };
  const ka = kindOf(a), kb = kindOf(b);
  if (ka === "string" && kb === "string") return `string ${quoteForReason(a)} is not equal to string ${quoteForReason(b)}`;
  if (ka && kb && ka !== "string" && kb !== "string") {
    return `${ka} with value '${showValueForError(a)}' is not equal to ${kb} with value '${showValueForError(b)}'`.replace(
      /^a Boolean with value/,
      "a Boolean of value",
    ).replace(/to a Boolean with value/, "to a Boolean of value").replace(/null with value/g, "null of value");
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    return `list of size '${a.length}' is not equal to list of size '${b.length}', left hand side is '${showValueForError(a)}', right hand side is '${showValueForError(b)}'`;
  }
  return null;
}

function quoteForReason(v: Value): string {
  return `'${showValueForError(v)}'`;
}

export type { Expr };

/** A value interpolated into a string: plain strings directly, the rest through coercion. */
function interpolated(state: EvalState, v: Value, pos: Pos): string | NixString {
  if (v instanceof Thunk) v = v.force();
  if (typeof v === "string") return v;
  return state.coerceToString(v, COERCE_INTERPOLATE, pos);
}

/** `l + r` where at least one is a NixString: the union of their contexts. */
function joinWithContext(l: string | NixString, r: string | NixString): string | NixString {
  if (typeof l === "string") return mkString(l + (r as NixString).s, (r as NixString).ctx);
  if (typeof r === "string") return mkString(l.s + r, l.ctx);
  return mkString(l.s + r.s, unionContexts(l.ctx, r.ctx));
}
