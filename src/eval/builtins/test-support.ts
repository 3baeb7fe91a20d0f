// Helpers for builtin unit tests: a minimal EvalState (no parser, no store), builtins called
// directly on constructed values, and hand-made lambdas.
import assert from "node:assert/strict";
import type { Source } from "../../lang/ast.js";
import { EvalError, type ErrorKind } from "../errors.js";
import { EvalState, defaultSettings, type EvalIO, type EvalSettings, type EvalStore } from "../state.js";
import { Attrs, Lambda, PrimOp, Thunk, type ArgFrame, type Code, type Env, type FormalInfo, type Value } from "../value.js";
import { BuiltinRegistry, type RegisterBuiltins } from "./registry.js";

export interface TestEnv {
  readonly state: EvalState;
  readonly builtins: Map<string, Value>;
  /** Lines the evaluator printed to stderr (trace, warnings). */
  readonly stderr: string[];
  /** Calls builtin `name` with the given (possibly lazy) arguments. */
  call(name: string, ...args: Value[]): Value;
  /** Calls the builtin and forces the result deeply. */
  deep(name: string, ...args: Value[]): Value;
}

export function testEnv(
  families: readonly RegisterBuiltins[],
  settings: Partial<EvalSettings> = {},
  env: Record<string, string> = {},
): TestEnv {
  const stderr: string[] = [];
  const io = {
    readFile: () => {
      throw new Error("no file system in tests");
    },
    fileType: () => null,
    readDir: () => [],
    readLink: () => "",
    getEnv: (name: string) => env[name],
    warn: (line: string) => void stderr.push(line),
  } as unknown as EvalIO;
  const store = { storeDir: "/nix/store" } as unknown as EvalStore;
  const state = new EvalState({ ...defaultSettings, ...settings }, io, store);
  const r = new BuiltinRegistry(state);
  for (const register of families) register(r);
  const builtins = r.entries;
  const call = (name: string, ...args: Value[]): Value => {
    const f = builtins.get(name);
    if (f === undefined) throw new Error(`no builtin ${name}`);
    return state.call(f, args, null);
  };
  return { state, builtins, stderr, call, deep: (name, ...args) => state.forceDeep(call(name, ...args)) };
}

export const testSource: Source = { origin: "string", path: null, text: "", baseDir: "/" };

/** A one-argument lambda whose body is a JS function of the argument. */
export function fn(body: (x: Value) => Value, name: string | null = null): Lambda {
  return new Lambda(
    {
      name,
      pos: { source: testSource, offset: 0 },
      slots: 1,
      argSlot: 1,
      formals: null,
      formalNames: null,
      ellipsis: false,
      body: ((env: Env) => body((env as ArgFrame).a)) as Code,
    },
    [null],
  );
}

/** A curried two-argument lambda. */
export function fn2(body: (x: Value, y: Value) => Value): Lambda {
  return fn((x) => fn((y) => body(x, y)));
}

/** `{ a, b ? … }: body` — formals as [name, hasDefault, offset?]. */
export function formalsFn(
  formals: readonly (readonly [string, boolean, number?])[],
  ellipsis = false,
  source: Source = testSource,
): Lambda {
  const infos: FormalInfo[] = formals.map(([name, hasDefault, pos], i) => ({
    name,
    slot: i + 1,
    default: hasDefault ? ((() => null) as Code) : null,
    pos,
  }));
  return new Lambda(
    {
      name: null,
      pos: { source, offset: 0 },
      slots: formals.length,
      argSlot: -1,
      formals: infos,
      formalNames: new Set(formals.map((f) => f[0])),
      ellipsis,
      body: (() => null) as Code,
    },
    [null],
  );
}

export function set(obj: Record<string, Value>): Attrs {
  return new Attrs(new Map(Object.entries(obj)));
}

/** A thunk that counts how often it is evaluated. */
export function counted(value: () => Value): { thunk: Thunk; count: () => number } {
  let n = 0;
  const thunk = new Thunk((() => {
    n++;
    return value();
  }) as unknown as Code, null as unknown as Env);
  return { thunk, count: () => n };
}

/** A thunk that fails with `throw` (catchable) when forced. */
export function throwing(message: string, kind: ErrorKind = "throw"): Thunk {
  return new Thunk((() => {
    throw new EvalError(message, kind);
  }) as unknown as Code, null as unknown as Env);
}

/** Runs `f`, expecting an EvalError with this message (and, optionally, these trace lines). */
export function expectError(f: () => unknown, message: string | RegExp, trace?: readonly string[]): EvalError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof EvalError)) throw e;
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    if (trace !== undefined) {
      assert.deepEqual(
        e.trace.map((t) => t.message),
        trace,
      );
    }
    return e;
  }
  assert.fail(`expected an error: ${String(message)}`);
}

export function primop(env: TestEnv, name: string): PrimOp {
  const p = env.builtins.get(name);
  if (!(p instanceof PrimOp)) throw new Error(`no primop ${name}`);
  return p;
}
