// `tix eval`: evaluates an expression or file and prints it the way `nix eval` does.
import * as fs from "node:fs";
import { printValue } from "../eval/print.js";
import { valueToJSON } from "../eval/to-json.js";
import { Thunk, type Value } from "../eval/value.js";
import type { Evaluator } from "../eval/evaluator.js";
import { resolveInstallable } from "../flake/installable.js";
import type { FlakeSession } from "../flake/session.js";
import type { LocalStore } from "../store/local-store.js";
import { MemoryStore } from "../store/memory-store.js";
import type { EvalStore } from "../eval/state.js";
import { absolutePath, findAlongAttrPath, makeEvaluator } from "./eval-setup.js";
import { emptyFlakeCliOptions, openFlakeSession, parseFlakeFlag, type FlakeCliOptions } from "./flake-setup.js";
import { SEPARATE_VALUES_STYLE, walkArgs } from "./args.js";
import { argBytes, writeOut } from "./output.js";
import { LazyLocalStore } from "./lazy-local-store.js";
import { autoArgsFor } from "./build.js";
import { sessionBuiltins } from "./session-builtins.js";
import { openLocalStoreFromOption, storeRootFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

interface EvalOptions {
  expr: string | null;
  file: string | null;
  json: boolean;
  raw: boolean;
  /** `--read-only`: compute store paths without copying anything into the store. */
  readOnly: boolean;
  apply: string | null;
  impure: boolean;
  includes: string[];
  storeRoot: string | null;
  /** `--arg NAME EXPR` / `--argstr NAME STRING`: passed to functions along the attribute path. */
  args: [string, string, "expr" | "str"][];
  installables: string[];
  /** Lock-file and fetcher flags (for flake installables and builtins.getFlake). */
  flake: FlakeCliOptions;
}

function parseEvalArgs(argv: string[]): EvalOptions {
  const o: EvalOptions = { expr: null, file: null, json: false, raw: false, readOnly: false, apply: null, impure: false, includes: [], storeRoot: null, args: [], installables: [], flake: emptyFlakeCliOptions() };
  walkArgs(argv, SEPARATE_VALUES_STYLE, (a, { value: next }) => {
    switch (a) {
      case "--expr": o.expr = next(); break;
      case "-f": case "--file": o.file = next(); break;
      case "--json": o.json = true; break;
      case "--raw": o.raw = true; break;
      case "--apply": o.apply = next(); break;
      case "--arg": { const n = next(); o.args.push([n, next(), "expr"]); break; }
      case "--argstr": { const n = next(); o.args.push([n, next(), "str"]); break; }
      case "--impure": o.impure = true; break;
      case "-I": case "--include": o.includes.push(next()); break;
      case "--store": o.storeRoot = next(); break;
      case "--read-only": o.readOnly = true; break;
      case "--show-trace": case "--strict": break;
      // Verbosity: accepted as in Nix; tix prints nothing more for an evaluation.
      case "-v": case "--verbose": case "--quiet": break;
      case "--option": { const n = next(); const v = next(); parseFlakeFlag(o.flake, "--option", (() => { let k = 0; return () => (k++ === 0 ? n : v); })()); break; }
      default:
        if (parseFlakeFlag(o.flake, a, next)) break;
        if (a.startsWith("-")) throw new UsageError(`unrecognised flag '${a}'`);
        o.installables.push(a);
    }
  });
  o.flake.impure ||= o.impure;
  o.flake.storeRoot = o.storeRoot;
  o.flake.includes = o.includes;
  return o;
}

export function runEval(argv: string[]): number {
  const o = parseEvalArgs(argv);
  const cwd = process.cwd();
  let store: LocalStore | null = null;
  let session: FlakeSession | null = null;
  let evalStore: LazyLocalStore | null = null;
  const flakeSession = (): FlakeSession => {
    store ??= openLocalStoreFromOption(o.storeRoot);
    session ??= openFlakeSession(o.flake, store);
    return session;
  };
  try {
    let ev: Evaluator;
    let v: Value;
    if (o.expr !== null || o.file !== null) {
      const pure = !o.impure && o.file === null;
      // Like `nix eval`, paths coerced to strings are copied into the store (so files can be read
      // through them) and derivations are written; `--read-only` only computes their paths.
      const exprStore = (): EvalStore => (o.readOnly ? new MemoryStore() : (evalStore = new LazyLocalStore(storeRootFromOption(o.storeRoot))));
      // The fetch builtins and getFlake are there for imported files too, as in Nix; they open
      // the flake session (and its store) only when one runs.
      ev = makeEvaluator({ includes: o.includes, pure, store: exprStore(), extraBuiltins: sessionBuiltins(flakeSession) });
      if (o.expr !== null) v = ev.evalString(argBytes(o.expr), cwd);
      else v = o.file === "-" ? ev.evalString(fs.readFileSync(0).toString("latin1"), cwd, "stdin") : ev.evalFile(absolutePath(o.file!));
      if (o.installables.length) v = findAlongAttrPath(ev, v, argBytes(o.installables[0]!), autoArgsFor(ev, o.args));
    } else {
      if (o.installables.length === 0) throw new UsageError("nothing to evaluate: give an installable (FLAKE#ATTR), --expr or --file");
      if (o.installables.length > 1) throw new UsageError("'tix eval' takes only one installable");
      const s = flakeSession();
      const r = resolveInstallable(s, o.installables[0]!, { kind: "eval" });
      ev = s.ev();
      v = r.value();
    }
    if (o.apply !== null) v = ev.state.call(ev.evalString(argBytes(o.apply), cwd), [v], null);
    if (v instanceof Thunk) v = v.force();
    if (o.raw) {
      const str = ev.state.coerceToString(v, { copyToStore: true });
      writeOut(typeof str === "string" ? str : str.s);
      return 0;
    }
    v = ev.state.forceDeep(v);
    // Like `nix eval --json`, a path value is copied and printed as its store path.
    if (o.json) writeOut(valueToJSON(ev.state, v, { copyToStore: true, strict: true }) + "\n");
    else writeOut(printValue(v, { style: "eval" }) + "\n");
    return 0;
  } finally {
    (session as FlakeSession | null)?.close();
    (evalStore as LazyLocalStore | null)?.close();
    (store as LocalStore | null)?.close();
  }
}
