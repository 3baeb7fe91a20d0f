// `tix instantiate`: a drop-in for nix-instantiate's evaluation modes (and, with a store,
// instantiation of derivations).
import { parse } from "../lang/parser.js";
import { showExpr } from "../lang/show.js";
import { printValue } from "../eval/print.js";
import { Thunk, type Value } from "../eval/value.js";
import { absolutePath, autoCall, findAlongAttrPath, makeEvaluator, type AutoArgs } from "./eval-setup.js";
import { argBytes, writeErr, writeOut } from "./output.js";
import { collectDerivations, type DerivationRef } from "./installables.js";
import { LocalStore } from "../store/local-store.js";
import { addPermRoot } from "../store/gc.js";
import type { EvalStore } from "../eval/state.js";

let warnedNoRoot = false;
import { openLocalStoreFromOption, openStoreForEval, realStoreDirOf, storeRootFromOption } from "./store-setup.js";
import { sessionBuiltins } from "./session-builtins.js";
import { emptyFlakeCliOptions, openFlakeSession } from "./flake-setup.js";
import type { FlakeSession } from "../flake/session.js";
import { refuseUnsupportedSetting } from "./unsupported-settings.js";
import { UsageError } from "./usage.js";
import { SEPARATE_VALUES_STYLE, walkArgs } from "./args.js";
import { valueToJSON } from "../eval/to-json.js";
import { valueToXML } from "../eval/to-xml.js";
import * as fs from "node:fs";

export interface InstantiateOptions {
  eval: boolean;
  strict: boolean;
  json: boolean;
  xml: boolean;
  /** `--raw` (Nix 2.26+): the value as a string, as interpolation coerces it, without a newline. */
  raw: boolean;
  location: boolean;
  parseOnly: boolean;
  fromExpr: boolean;
  attrPaths: string[];
  args: [string, string, "expr" | "str"][];
  includes: string[];
  showTrace: boolean;
  storeRoot: string | null;
  files: string[];
  /** `--add-root PATH`: register each .drv under PATH, PATH-2, … (always indirect, as in Nix 2.8). */
  addRoot: string | null;
  readWrite: boolean;
}

export function parseInstantiateArgs(argv: string[]): InstantiateOptions {
  const o: InstantiateOptions = {
    eval: false, strict: false, json: false, xml: false, raw: false, location: true, parseOnly: false, fromExpr: false,
    attrPaths: [], args: [], includes: [], showTrace: false, storeRoot: null, files: [],
    addRoot: null, readWrite: false,
  };
  walkArgs(argv, SEPARATE_VALUES_STYLE, (a, { value: next }) => {
    switch (a) {
      case "--eval": case "--eval-only": o.eval = true; break;
      case "--strict": o.strict = true; break;
      case "--json": o.json = true; break;
      case "--xml": o.xml = true; break;
      case "--raw": o.raw = true; break;
      case "--no-location": o.location = false; break;
      case "--parse": o.parseOnly = true; o.eval = true; break;
      case "-E": case "--expr": o.fromExpr = true; break;
      case "-A": case "--attr": o.attrPaths.push(next()); break;
      case "--arg": { const n = next(); o.args.push([n, next(), "expr"]); break; }
      case "--argstr": { const n = next(); o.args.push([n, next(), "str"]); break; }
      case "-I": case "--include": o.includes.push(next()); break;
      case "--show-trace": o.showTrace = true; break;
      // Verbosity: accepted as in nix-instantiate, which prints nothing more for an evaluation.
      case "-v": case "--verbose": case "--quiet": break;
      case "--store": o.storeRoot = next(); break;
      case "--read-write-mode": o.readWrite = true; break;
      case "--add-root": o.addRoot = next(); break;
      case "--readonly-mode": case "--indirect": break;
      case "--timeout": case "--max-jobs": case "-j": case "--cores": next(); break;
      case "--option": refuseUnsupportedSetting(next(), next()); break;
      case "--restrict-eval": refuseUnsupportedSetting("restrict-eval", "true"); break;
      default:
        if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
        o.files.push(a);
    }
  });
  return o;
}

export function runInstantiate(argv: string[]): number {
  const o = parseInstantiateArgs(argv);
  const store = openStoreForEval(o.storeRoot, o.eval && !o.readWrite);
  // Fetchers write to the local store even in read-only evaluation, as in Nix.
  let fetchStore: LocalStore | null = null;
  const openFetchStore = (): LocalStore => (store instanceof LocalStore ? store : (fetchStore ??= openLocalStoreFromOption(o.storeRoot)));
  // The fetch builtins and getFlake work through a flake session opened on their first call
  // (impure, as the rest of the evaluation).
  let session: FlakeSession | null = null;
  const flakeSession = (): FlakeSession =>
    (session ??= openFlakeSession({ ...emptyFlakeCliOptions(), impure: true, storeRoot: o.storeRoot, includes: o.includes }, openFetchStore));
  try {
    return instantiate(o, store, flakeSession);
  } finally {
    (session as FlakeSession | null)?.close();
    if (store instanceof LocalStore) store.close();
    (fetchStore as LocalStore | null)?.close();
  }
}

function instantiate(o: InstantiateOptions, store: EvalStore, flakeSession: () => FlakeSession): number {
  const ev = makeEvaluator({
    includes: o.includes,
    pure: false,
    store,
    extraBuiltins: sessionBuiltins(flakeSession),
    realStoreDir: realStoreDirOf(storeRootFromOption(o.storeRoot)),
  });
  let rootNr = 0;
  const cwd = process.cwd();
  const autoArgs: AutoArgs = new Map();
  for (const [name, text, kind] of o.args) {
    autoArgs.set(name, kind === "str" ? argBytes(text) : new Thunk(() => ev.evalString(argBytes(text), cwd), []));
  }
  const inputs: { kind: "expr" | "file" | "stdin"; text: string }[] = [];
  if (o.fromExpr) for (const f of o.files) inputs.push({ kind: "expr", text: argBytes(f) });
  else if (o.files.length === 0) inputs.push({ kind: "file", text: absolutePath("default.nix") });
  else for (const f of o.files) inputs.push(f === "-" ? { kind: "stdin", text: fs.readFileSync(0).toString("latin1") } : { kind: "file", text: absolutePath(f) });

  for (const input of inputs) {
    if (o.parseOnly) {
      const source = input.kind === "file"
        ? { origin: "file" as const, path: input.text, text: fs.readFileSync(Buffer.from(input.text, "latin1")).toString("latin1"), baseDir: input.text.slice(0, input.text.lastIndexOf("/")) || "/" }
        : { origin: input.kind === "expr" ? ("string" as const) : ("stdin" as const), path: null, text: input.text, baseDir: cwd };
      writeOut(showExpr(parse(source)) + "\n");
      continue;
    }
    const root: Value =
      input.kind === "file" ? ev.evalFile(input.text) : ev.evalString(input.text, cwd, input.kind === "stdin" ? "stdin" : "string");
    for (const attrPath of o.attrPaths.length ? o.attrPaths : [""]) {
      let v = findAlongAttrPath(ev, root, attrPath, autoArgs);
      if (o.eval) {
        if (autoArgs.size > 0) v = autoCall(ev, v, autoArgs);
        if (v instanceof Thunk) v = v.force();
        if (o.strict) v = ev.state.forceDeep(v);
        if (o.raw) {
          const s = ev.state.coerceToString(v, { copyToStore: true });
          writeOut(typeof s === "string" ? s : s.s);
        } else if (o.json) writeOut(valueToJSON(ev.state, v, { copyToStore: true, strict: o.strict }) + "\n");
        else if (o.xml) writeOut(valueToXML(ev.state, v, { location: o.location, strict: o.strict }));
        else writeOut(printValue(v, { style: "instantiate" }) + "\n");
      } else {
        const drvs: DerivationRef[] = [];
        collectDerivations(ev, v, autoArgs, attrPath, drvs);
        for (const d of drvs) {
          let shown = d.drvPath;
          if (o.addRoot === null) {
            if (!warnedNoRoot) writeErr("warning: you did not specify '--add-root'; the result might be removed by the garbage collector\n");
            warnedNoRoot = true;
          } else if (store instanceof LocalStore) {
            let rootName = absolutePath(o.addRoot);
            if (++rootNr > 1) rootName += `-${rootNr}`;
            shown = addPermRoot(store, d.drvPath, rootName);
          }
          const output = d.outputs?.[0] ?? "out";
          writeOut(`${shown}${output !== "out" ? `!${output}` : ""}\n`);
        }
      }
    }
  }
  return 0;
}
