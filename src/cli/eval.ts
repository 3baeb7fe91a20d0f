// `tix eval`: evaluates an expression or file and prints it the way `nix eval` does.
import * as fs from "node:fs";
import { printValue } from "../eval/print.js";
import { valueToJSON } from "../eval/to-json.js";
import { Thunk, type Value } from "../eval/value.js";
import { absolutePath, findAlongAttrPath, makeEvaluator } from "./eval-setup.js";
import { argBytes, writeOut } from "./output.js";
import { openStoreForEval } from "./store-setup.js";
import { UsageError } from "./usage.js";

interface EvalOptions {
  expr: string | null;
  file: string | null;
  json: boolean;
  raw: boolean;
  apply: string | null;
  impure: boolean;
  includes: string[];
  storeRoot: string | null;
  installables: string[];
}

function parseEvalArgs(argv: string[]): EvalOptions {
  const o: EvalOptions = { expr: null, file: null, json: false, raw: false, apply: null, impure: false, includes: [], storeRoot: null, installables: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      if (i + 1 >= argv.length) throw new UsageError(`flag '${a}' requires an argument`);
      return argv[++i];
    };
    switch (a) {
      case "--expr": o.expr = next(); break;
      case "-f": case "--file": o.file = next(); break;
      case "--json": o.json = true; break;
      case "--raw": o.raw = true; break;
      case "--apply": o.apply = next(); break;
      case "--impure": o.impure = true; break;
      case "-I": case "--include": o.includes.push(next()); break;
      case "--store": o.storeRoot = next(); break;
      case "--show-trace": case "--strict": case "--read-only": break;
      case "--option": next(); next(); break;
      default:
        if (a.startsWith("-")) throw new UsageError(`unrecognised flag '${a}'`);
        o.installables.push(a);
    }
  }
  return o;
}

export function runEval(argv: string[]): number {
  const o = parseEvalArgs(argv);
  const store = openStoreForEval(o.storeRoot);
  const cwd = process.cwd();
  const pure = !o.impure && o.file === null;
  const ev = makeEvaluator({ includes: o.includes, pure, store });
  let v: Value;
  if (o.expr !== null) {
    v = ev.evalString(argBytes(o.expr), cwd);
    if (o.installables.length) v = findAlongAttrPath(ev, v, argBytes(o.installables[0]), new Map());
  } else if (o.file !== null) {
    v = o.file === "-" ? ev.evalString(fs.readFileSync(0).toString("latin1"), cwd, "stdin") : ev.evalFile(absolutePath(o.file));
    if (o.installables.length) v = findAlongAttrPath(ev, v, argBytes(o.installables[0]), new Map());
  } else {
    throw new UsageError("flake installables are not supported yet; use --expr or --file");
  }
  if (o.apply !== null) v = ev.state.call(ev.evalString(argBytes(o.apply), cwd), [v], null);
  if (v instanceof Thunk) v = v.force();
  if (o.raw) {
    const s = ev.state.coerceToString(v, { copyToStore: true });
    writeOut(typeof s === "string" ? s : s.s);
    return 0;
  }
  v = ev.state.forceDeep(v);
  if (o.json) writeOut(valueToJSON(ev.state, v, { copyToStore: false, strict: true }) + "\n");
  else writeOut(printValue(v, { style: "eval" }) + "\n");
  return 0;
}
