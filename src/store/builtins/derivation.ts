// `derivationStrict` and `derivation`: turn an attribute set into a store derivation, write the
// .drv through the evaluator's store, and return its output paths with string context.
import { COERCE_DERIVATION_ATTR } from "../../eval/state.js";
import { EvalError } from "../../eval/errors.js";
import { expectAttrs, expectBool, expectList, expectPlainString } from "../../eval/expect.js";
import { valueToJSON } from "../../eval/to-json.js";
import type { BuiltinRegistry } from "../../eval/builtins/registry.js";
import type { EvalState } from "../../eval/state.js";
import { Attrs, Keys, NixString, Thunk, findAttrPos, type Pos, type Value } from "../../eval/value.js";
import { lazy } from "../../eval/builtins/lazy.js";
import {
  DerivationHasher,
  derivationPath,
  derivationReferences,
  derivationToAterm,
  fillInOutputPaths,
  parseDerivation,
  type Derivation,
  type DerivationOutput,
} from "../formats/derivation.js";
import { parseHash, parseHashAlgo, printHash, type Hash, type HashAlgo } from "../formats/hash.js";
import { storePathNameProblem } from "../formats/store-path.js";

/** Per-evaluation derivation bookkeeping: parsed .drv files and their hashes modulo. */
class DrvCache {
  readonly drvs = new Map<string, Derivation>();
  readonly hasher: DerivationHasher;
  constructor(state: EvalState) {
    this.hasher = new DerivationHasher((p) => this.read(state, p));
  }
  read(state: EvalState, path: string): Derivation {
    let d = this.drvs.get(path);
    if (d === undefined) {
      const base = path.slice(path.lastIndexOf("/") + 1);
      d = parseDerivation(state.store.readText(path), { name: base.slice(33, -4) });
      this.drvs.set(path, d);
    }
    return d;
  }
}

function drvCache(state: EvalState): DrvCache {
  return state.cache("derivations", () => new DrvCache(state));
}

/** Store paths in the closure of `path` (following references). */
function closureOf(state: EvalState, path: string): string[] {
  const seen = new Set<string>();
  const todo = [path];
  while (todo.length) {
    const p = todo.pop()!;
    if (seen.has(p)) continue;
    seen.add(p);
    for (const r of state.store.queryReferences(p)) todo.push(r);
  }
  return [...seen];
}

function plain(v: Value): string {
  return typeof v === "string" ? v : (v as NixString).s;
}

/** The core of `derivationStrict`. */
export function derivationStrict(state: EvalState, attrsValue: Value, pos: Pos | null): Attrs {
  const attrs = expectAttrs(attrsValue, "while evaluating the argument passed to builtins.derivationStrict", pos);
  const nameV = attrs.get("name");
  if (nameV === undefined) throw new EvalError("required attribute 'name' missing", "eval", pos);
  const drvName = expectPlainString(state.coerceToString(nameV, {}, pos), "while evaluating the `name` attribute passed to builtins.derivationStrict", pos);
  try {
    return buildDerivation(state, attrs, drvName, pos);
  } catch (e) {
    if (e instanceof EvalError) {
      const namePos = findAttrPos(attrs.positions, "name");
      e.addTrace(
        `while evaluating derivation '${drvName}'\n  whose name attribute is located at ${namePos !== null ? state.formatPos(namePos) : "\xc2\xabunknown\xc2\xbb"}`,
        pos,
      );
    }
    throw e;
  }
}

function buildDerivation(state: EvalState, attrs: Attrs, drvName: string, pos: Pos | null): Attrs {
  const problem = storePathNameProblem(drvName);
  if (problem !== null) {
    throw new EvalError(`invalid derivation name: name '${drvName}' ${problem}. Please pass a different 'name'.`, "eval", pos);
  }
  const force = (v: Value): Value => (v instanceof Thunk ? v.force() : v);
  const ignoreNulls = attrs.has("__ignoreNulls") ? expectBool(attrs.get("__ignoreNulls")!, null, pos) : false;
  const structured = attrs.has("__structuredAttrs") ? expectBool(attrs.get("__structuredAttrs")!, null, pos) : false;
  const context = new Set<string>();
  const env = new Map<string, string>();
  const args: string[] = [];
  let builder = "";
  let system = "";
  let outputs: string[] = ["out"];
  let outputHash: string | null = null;
  let outputHashAlgo: string | null = null;
  let outputHashMode = "flat";
  const jsonAttrs = structured ? new Map<string, Value>() : null;

  const coerce = (v: Value, what: string): string => {
    const s = state.coerceToString(v, COERCE_DERIVATION_ATTR, pos);
    if (typeof s !== "string") for (const c of s.ctx) context.add(c);
    void what;
    return plain(s);
  };

  const setOutputs = (list: string[]): void => {
    if (list.length === 0) throw new EvalError(`derivation '${drvName}' cannot have an empty set of outputs`, "eval", pos);
    const seen = new Set<string>();
    for (const o of list) {
      if (o === "drvPath") throw new EvalError(`invalid derivation output name 'drvPath'`, "eval", pos);
      if (seen.has(o)) throw new EvalError(`duplicate derivation output '${o}'`, "eval", pos);
      seen.add(o);
    }
    outputs = list;
  };

  for (const key of attrs.sortedNames()) {
    if (key === "__ignoreNulls") continue;
    const raw = attrs.get(key)!;
    try {
      const v = force(raw);
      if (ignoreNulls && v === null) continue;
      if (key === "__structuredAttrs" || key === "__contentAddressed" || key === "__impure") {
        if (!structured || key !== "__structuredAttrs") {
          if (key !== "__structuredAttrs") env.set(key, coerce(v, key));
        }
        continue;
      }
      if (key === "args") {
        for (const a of expectList(v, null, pos)) args.push(coerce(a, "args"));
        continue;
      }
      if (jsonAttrs !== null) {
        jsonAttrs.set(key, v);
        if (key === "builder") builder = coerce(v, key);
        else if (key === "system") system = coerce(v, key);
        else if (key === "outputHash") outputHash = coerce(v, key);
        else if (key === "outputHashAlgo") outputHashAlgo = coerce(v, key);
        else if (key === "outputHashMode") outputHashMode = coerce(v, key);
        else if (key === "outputs") setOutputs(expectList(v, null, pos).map((o) => expectPlainString(o, null, pos)));
        continue;
      }
      if (key === "outputs") {
        const list = coerce(v, key).split(/[ \t\n\r]+/).filter((s) => s !== "");
        setOutputs(list);
        env.set(key, list.join(" "));
        continue;
      }
      const s = coerce(v, key);
      env.set(key, s);
      if (key === "builder") builder = s;
      else if (key === "system") system = s;
      else if (key === "outputHash") outputHash = s;
      else if (key === "outputHashAlgo") outputHashAlgo = s;
      else if (key === "outputHashMode") outputHashMode = s;
    } catch (e) {
      if (e instanceof EvalError) e.addTrace(`while evaluating attribute '${key}' of derivation '${drvName}'`, attrPosOf(attrs, key));
      throw e;
    }
  }
  if (jsonAttrs !== null) {
    const json = valueToJSON(state, new Attrs(jsonAttrs), { copyToStore: true, strict: true, context });
    env.set("__json", json);
  }
  if (builder === "" && !attrs.has("builder")) throw new EvalError("required attribute 'builder' missing", "eval", pos);
  if (!attrs.has("system")) throw new EvalError("required attribute 'system' missing", "eval", pos);

  // Inputs from the string context of all attributes.
  const cache = drvCache(state);
  const inputDrvs = new Map<string, Set<string>>();
  const inputSrcs = new Set<string>();
  const addDrvOutput = (drv: string, out: string): void => {
    let s = inputDrvs.get(drv);
    if (!s) inputDrvs.set(drv, (s = new Set()));
    s.add(out);
  };
  for (const c of context) {
    if (c.startsWith("=")) {
      for (const p of closureOf(state, c.slice(1))) {
        inputSrcs.add(p);
        if (p.endsWith(".drv")) for (const o of cache.read(state, p).outputs.keys()) addDrvOutput(p, o);
      }
    } else if (c.startsWith("!")) {
      const bang = c.indexOf("!", 1);
      addDrvOutput(c.slice(bang + 1), c.slice(1, bang));
    } else inputSrcs.add(c);
  }

  const outs = new Map<string, DerivationOutput>();
  if (outputHash !== null) {
    if (outputs.length !== 1 || outputs[0] !== "out") {
      throw new EvalError(`multiple outputs are not supported in fixed-output derivations`, "eval", pos);
    }
    let hash: Hash;
    try {
      const algo: HashAlgo | undefined = outputHashAlgo ? parseHashAlgo(outputHashAlgo) : undefined;
      hash = parseHash(outputHash, algo);
    } catch (e) {
      throw new EvalError((e as Error).message, "eval", pos);
    }
    const mode = outputHashMode === "recursive" || outputHashMode === "nar" ? "r:" : outputHashMode === "text" ? "text:" : "";
    if (outputHashMode !== "flat" && mode === "") throw new EvalError(`invalid value '${outputHashMode}' for 'outputHashMode' attribute`, "eval", pos);
    outs.set("out", { path: "", hashAlgo: mode + hash.algo, hash: printHash(hash, "base16") });
  } else {
    for (const o of outputs) outs.set(o, { path: "", hashAlgo: "", hash: "" });
  }

  let drv: Derivation = {
    name: drvName,
    outputs: outs,
    inputDrvs: new Map([...inputDrvs].map(([k, v]) => [k, [...v].sort()])),
    inputSrcs: [...inputSrcs].sort(),
    system,
    builder,
    args,
    env,
  };
  drv = fillInOutputPaths(drv, cache.hasher, state.settings.storeDir);
  const drvPath = derivationPath(drv, state.settings.storeDir);
  const written = state.store.addText(`${drvName}.drv`, derivationToAterm(drv), derivationReferences(drv));
  if (written !== drvPath) throw new Error(`internal error: .drv path mismatch (${written} vs ${drvPath})`);
  cache.drvs.set(drvPath, drv);

  const result = new Map<string, Value>();
  result.set("drvPath", new NixString(drvPath, new Set([`=${drvPath}`])));
  for (const [name, o] of drv.outputs) result.set(name, new NixString(o.path, new Set([`!${name}!${drvPath}`])));
  return new Attrs(result);
}

function attrPosOf(attrs: Attrs, key: string): Pos | null {
  return findAttrPos(attrs.positions, key);
}

/** Names every output's set gets after the user's attributes and the outputs' names. */
const ADDED_NAMES = ["all", "drvAttrs", "outPath", "drvPath", "type", "outputName"] as const;

/** The layout shared by the output sets of every derivation with the same attributes and outputs. */
interface OutputSetShape {
  readonly keys: Keys;
  /** Slot of each distinct output name's set (the first of a repeated name wins). */
  readonly outputSlots: ReadonlyMap<string, number>;
  /** Slots of ADDED_NAMES, in that order. */
  readonly addedSlots: readonly number[];
}

/** Shapes by the user's attribute names (array-backed sets only) and then by the output names. */
const shapes = new WeakMap<Keys, Map<string, OutputSetShape>>();

function makeShape(userNames: readonly string[], outputNames: readonly string[]): OutputSetShape {
  const names = userNames.slice();
  const slotOf = new Map<string, number>();
  names.forEach((n, i) => slotOf.set(n, i));
  const slot = (n: string): number => {
    let i = slotOf.get(n);
    if (i === undefined) {
      i = names.push(n) - 1;
      slotOf.set(n, i);
    }
    return i;
  };
  const outputSlots = new Map<string, number>();
  for (const n of outputNames) if (!outputSlots.has(n)) outputSlots.set(n, slot(n));
  const addedSlots = ADDED_NAMES.map(slot);
  return { keys: Keys.withIndex(names, slotOf), outputSlots, addedSlots };
}

function shapeFor(attrs: Attrs, outputNames: readonly string[]): { shape: OutputSetShape; userValues: readonly Value[] } {
  const keys = attrs.arrayKeys();
  if (keys === null) {
    const map = attrs.map;
    return { shape: makeShape([...map.keys()], outputNames), userValues: [...map.values()] };
  }
  let byOutputs = shapes.get(keys);
  if (byOutputs === undefined) shapes.set(keys, (byOutputs = new Map()));
  const k = outputNames.join("\0");
  let shape = byOutputs.get(k);
  if (shape === undefined) byOutputs.set(k, (shape = makeShape(keys.list.slice(0, keys.length), outputNames)));
  return { shape, userValues: attrs.arrayValues()! };
}

/**
 * `derivation attrs`: what Nix computes with a Nix-code wrapper over `derivationStrict`, built
 * directly (a cold `flake show` of 200 packages spent most of its evaluation in that wrapper).
 * Every output gets the set `attrs // byName // { all; drvAttrs = attrs; } // { outPath; drvPath;
 * type = "derivation"; outputName; }`, where byName maps each output name to its set and `all`
 * lists them; the result is the first output's set. `derivationStrict` only runs once `outPath` or
 * `drvPath` is needed: `flake show` reads `type` and `name` without writing any .drv.
 */
function derivationValue(state: EvalState, attrsValue: Value, pos: Pos | null): Attrs {
  const attrs = expectAttrs(attrsValue, "while evaluating the argument passed to builtins.derivation", pos);
  const outputsValue = attrs.get("outputs");
  let outputNames: string[];
  if (outputsValue === undefined) outputNames = ["out"];
  else {
    const list = expectList(outputsValue, "while evaluating the `outputs` attribute passed to builtins.derivation", pos);
    // The message Nix's wrapper gives (it takes the head of the outputs' sets).
    if (list.length === 0) throw new EvalError("'builtins.head' called on an empty list", "eval", pos);
    outputNames = list.map((v) => expectPlainString(v, "while evaluating an output name passed to builtins.derivation", pos));
  }
  const { shape, userValues } = shapeFor(attrs, outputNames);
  const strict = lazy(() => derivationStrict(state, attrs, pos));
  const drvPath = lazy(() => strictOutput(strict, "drvPath"));
  const sets: Attrs[] = [];
  const setThunks = outputNames.map((_, i) => lazy(() => sets[i]!));
  // As in Nix's wrapper, `all` is computed when first used (unevaluated in non-strict printing).
  const all = lazy(() => setThunks);
  const byName = new Map<string, Value>();
  outputNames.forEach((n, i) => {
    if (!byName.has(n)) byName.set(n, setThunks[i]!);
  });
  const [allSlot, drvAttrsSlot, outPathSlot, drvPathSlot, typeSlot, outputNameSlot] = shape.addedSlots as [number, number, number, number, number, number];
  for (const name of outputNames) {
    const values: Value[] = userValues.slice();
    while (values.length < shape.keys.length) values.push(null);
    for (const [n, at] of shape.outputSlots) values[at] = byName.get(n)!;
    values[allSlot] = all;
    values[drvAttrsSlot] = attrs;
    values[outPathSlot] = lazy(() => strictOutput(strict, name));
    values[drvPathSlot] = drvPath;
    values[typeSlot] = "derivation";
    values[outputNameSlot] = name;
    sets.push(Attrs.fromKeys(shape.keys, values, attrs.positions));
  }
  // The result is the first output's set: in Nix its attribute is the very value returned, already
  // evaluated (printed `«repeated»` inside it), while the other outputs' stay unevaluated.
  setThunks[0]!.force();
  return sets[0]!;
}

function strictOutput(strict: Thunk, name: string): Value {
  const v = (strict.force() as Attrs).get(name);
  if (v === undefined) throw new EvalError(`attribute '${name}' missing`);
  return v;
}

export function register(r: BuiltinRegistry): void {
  const state = r.state;
  r.def("derivationStrict", 1, ([attrs], pos) => derivationStrict(state, attrs, pos));
  // Nix defines it in Nix code as `drvAttrs @ { outputs ? [ "out" ], ... }: …`.
  r.def("derivation", 1, ([attrs], pos) => derivationValue(state, attrs, pos), { lambdaFormals: new Map([["outputs", true]]) });
}
