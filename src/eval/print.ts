// Printing values the ways Nix does: `nix-instantiate --eval` style, `nix eval` style, and the
// limited unforced style used inside error messages and `builtins.trace`.
import { formatPosition } from "../lang/position.js";
import { utf8Bytes } from "../lang/tokens.js";

// Our output is byte strings; these are the UTF-8 bytes of « and ».
const LQ = utf8Bytes("\u00ab");
const RQ = utf8Bytes("\u00bb");
import {
  Attrs,
  Lambda,
  NixFloat,
  NixPath,
  NixString,
  PrimOp,
  PrimOpApp,
  Thunk,
  intToString,
  isString,
  type Value,
} from "./value.js";

/** C's `%g` (six significant digits), as Nix prints floats. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const exp = x.toExponential(5); // d.dddddde±X, rounded like printf
  const eIdx = exp.indexOf("e");
  const e = Number(exp.slice(eIdx + 1));
  if (e < -4 || e >= 6) {
    let mant = exp.slice(0, eIdx);
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const sign = e < 0 ? "-" : "+";
    const abs = Math.abs(e);
    return `${mant}e${sign}${abs < 10 ? "0" : ""}${abs}`;
  }
  let fixed = x.toFixed(Math.max(0, 5 - e));
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}

/** A string literal with Nix's escapes (`"`, `\`, LF, CR, TAB, `${`). */
export function quoteString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c === 34) esc = '\\"';
    else if (c === 92) esc = "\\\\";
    else if (c === 10) esc = "\\n";
    else if (c === 13) esc = "\\r";
    else if (c === 9) esc = "\\t";
    else if (c === 36 && s.charCodeAt(i + 1) === 123) esc = "\\$";
    if (esc !== null) {
      out += s.slice(start, i) + esc;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

const KEYWORDS = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit"]);
const BARE_NAME = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;

/** An attribute name as Nix prints it: bare when it is an identifier, else quoted. */
export function printAttrName(name: string): string {
  return BARE_NAME.test(name) && !KEYWORDS.has(name) ? name : quoteString(name);
}

function printAtom(v: Value): string | undefined {
  switch (typeof v) {
    case "number":
    case "bigint":
      return intToString(v);
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return quoteString(v);
  }
  if (v === null) return "null";
  if (v instanceof NixString) return quoteString(v.s);
  if (v instanceof NixFloat) return formatFloat(v.value);
  if (v instanceof NixPath) return v.path;
  return undefined;
}

export interface PrintOptions {
  /** How to show functions and thunks. */
  style: "instantiate" | "message" | "eval";
  /** Limits for error messages (§5.4). */
  limited?: boolean;
}

/**
 * Prints without forcing anything: unevaluated thunks show as `<CODE>` (instantiate style)
 * or `${LQ}thunk${RQ}` (message style). Sets/lists printed earlier in the same output show `${LQ}repeated${RQ}`.
 */
export function printValue(v: Value, opts: PrintOptions): string {
  const seen = new Set<object>();
  const parts: string[] = [];
  let attrsLeft = 10;
  let itemsLeft = 10;
  const limited = opts.limited === true;
  const instantiate = opts.style === "instantiate";
  const go = (v: Value, depth: number): void => {
    // The thunk a value was reached through: Nix copies a thunk's result into the thunk, so a
    // list of one or two elements (kept inside the value) is a different list in each thunk.
    const slot = v instanceof Thunk ? v : undefined;
    if (v instanceof Thunk) {
      const inner = v.peek();
      if (inner === undefined) {
        parts.push(v.underEvaluation ? `${LQ}potential infinite recursion${RQ}` : instantiate ? "<CODE>" : `${LQ}thunk${RQ}`);
        return;
      }
      v = inner;
    }
    const atom = printAtom(v);
    if (atom !== undefined) {
      if (limited && atom.length > 1026 && isString(v)) {
        const s = typeof v === "string" ? v : v.s;
        parts.push(quoteString(s.slice(0, 1024)) + ` ${LQ}${s.length - 1024} bytes elided${RQ}`);
      } else parts.push(atom);
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return void parts.push("[ ]");
      // Nix keeps lists of one or two elements inside the value (so their identity is the thunk
      // holding them), and prints a copy of the result value: such a list at the top is a
      // different list from the same one met again below it.
      const identity = v.length > 2 ? v : (slot ?? v);
      if (seen.has(identity)) return void parts.push(`${LQ}repeated${RQ}`);
      if (depth > 0 || v.length > 2) seen.add(identity);
      if (limited && depth >= 10) return void parts.push("[ ... ]");
      parts.push("[ ");
      for (let i = 0; i < v.length; i++) {
        if (limited && itemsLeft-- <= 0) {
          parts.push(`${LQ}${v.length - i} item${v.length - i === 1 ? "" : "s"} elided${RQ} `);
          break;
        }
        go(v[i], depth + 1);
        parts.push(" ");
      }
      parts.push("]");
      return;
    }
    if (v instanceof Attrs) {
      if (v.size === 0) return void parts.push("{ }");
      if (opts.style === "eval") {
        const drv = derivationPathOf(v);
        if (drv !== null) return void parts.push(`${LQ}derivation ${drv}${RQ}`);
      }
      if (seen.has(v)) return void parts.push(`${LQ}repeated${RQ}`);
      seen.add(v);
      if (limited && depth >= 10) return void parts.push("{ ... }");
      parts.push("{ ");
      let names = v.sortedNamesShared();
      if (limited) {
        const first = names.filter((n) => n === "type" || n === "_type");
        if (first.length) names = [...first, ...names.filter((n) => n !== "type" && n !== "_type")];
      }
      for (let i = 0; i < names.length; i++) {
        if (limited && attrsLeft-- <= 0) {
          const n = names.length - i;
          parts.push(`${LQ}${n} attribute${n === 1 ? "" : "s"} elided${RQ} `);
          break;
        }
        parts.push(printAttrName(names[i]), " = ");
        go(v.get(names[i])!, depth + 1);
        parts.push("; ");
      }
      parts.push("}");
      return;
    }
    if (v instanceof Lambda) {
      if (instantiate) return void parts.push("<LAMBDA>");
      const where = formatPosition(v.info.pos.source, v.info.pos.offset);
      return void parts.push(v.info.name ? `${LQ}lambda ${v.info.name} @ ${where}${RQ}` : `${LQ}lambda @ ${where}${RQ}`);
    }
    if (v instanceof PrimOp) return void parts.push(instantiate ? (v.lambdaFormals !== null ? "<LAMBDA>" : "<PRIMOP>") : `${LQ}primop ${v.name}${RQ}`);
    if (v instanceof PrimOpApp)
      return void parts.push(instantiate ? "<PRIMOP-APP>" : `${LQ}partially applied primop ${v.primop.name}${RQ}`);
    parts.push(`${LQ}unknown${RQ}`);
  };
  go(v, 0);
  return parts.join("");
}

/** The drvPath of an evaluated derivation set, or null. */
function derivationPathOf(v: Attrs): string | null {
  const t = v.get("type");
  const tv = t instanceof Thunk ? t.peek() : t;
  if (tv !== "derivation") return null;
  const d = v.get("drvPath");
  const dv = d instanceof Thunk ? d.peek() : d;
  if (typeof dv === "string") return dv;
  if (dv instanceof NixString) return dv.s;
  return null;
}

/** A value as shown inside an error message (§5.4). */
export function showValueForError(v: Value): string {
  return printValue(v, { style: "message", limited: true });
}
