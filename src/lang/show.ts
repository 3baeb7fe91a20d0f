// Renders an expression back to Nix-like text the way Nix does in `assertion '…' failed` and
// `nix-instantiate --parse`: fully parenthesised, desugared operators shown as calls.
import type { AttrDef, AttrName, Expr } from "./ast.js";

const RESERVED = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit"]);

/** A string literal with Nix's escapes (`"`, `\`, LF, CR, TAB, and `$` before `{`). */
export function showString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | null = null;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = "\\\\";
    else if (c === 0x0a) esc = "\\n";
    else if (c === 0x0d) esc = "\\r";
    else if (c === 0x09) esc = "\\t";
    else if (c === 0x24 && s.charCodeAt(i + 1) === 0x7b) esc = "\\$";
    if (esc !== null) {
      out += s.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

/** A name as Nix prints symbols: bare if it is a plain identifier (not a keyword), else quoted. */
export function showIdentifier(name: string): string {
  let shown = shownNames.get(name);
  if (shown === undefined) {
    shown = name === "" || RESERVED.has(name) || !/^[a-zA-Z_][a-zA-Z0-9_'-]*$/.test(name) ? showString(name) : name;
    if (shownNames.size >= 100_000) shownNames.clear();
    shownNames.set(name, shown);
  }
  return shown;
}

// `--parse` of a large file shows the same few thousand names hundreds of thousands of times.
const shownNames = new Map<string, string>();

/** `a.b."c d".${e}` as Nix shows attribute paths. */
export function showAttrPath(path: readonly AttrName[]): string {
  return path.map((a) => (a.kind === "static" ? showIdentifier(a.name) : '"${' + showExpr(a.expr) + '}"')).join(".");
}

/** A double the way C++ streams print it by default (`%g`, 6 significant digits). */
export function formatFloat(v: number): string {
  if (Number.isNaN(v)) return v < 0 ? "-nan" : "nan";
  if (!Number.isFinite(v)) return v < 0 ? "-inf" : "inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  // toExponential rounds to 6 significant digits, carrying into the exponent when needed.
  const [digits, e] = v.toExponential(5).split("e") as [string, string];
  const expValue = Number(e);
  if (expValue < -4 || expValue >= 6) {
    const m = digits.replace(/0+$/, "").replace(/\.$/, "");
    const sign = expValue < 0 ? "-" : "+";
    return m + "e" + sign + String(Math.abs(expValue)).padStart(2, "0");
  }
  const fixed = v.toFixed(Math.max(0, 5 - expValue));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

function showBindings(attrs: readonly AttrDef[], dynamic: readonly { name: Expr; value: Expr }[], inheritFrom: readonly Expr[]): string {
  const sorted = [...attrs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let out = "";
  const plainInherits = sorted.filter((d) => d.inherit === "plain");
  if (plainInherits.length > 0) out += "inherit " + plainInherits.map((d) => showIdentifier(d.name)).join(" ") + "; ";
  const bySource = new Map<number, string[]>();
  for (const d of sorted) {
    if (d.inherit !== "from" || d.value.kind !== "Select" || d.value.expr.kind !== "InheritSource") continue;
    const index = d.value.expr.index;
    let names = bySource.get(index);
    if (!names) bySource.set(index, (names = []));
    names.push(showIdentifier(d.name));
  }
  for (const index of [...bySource.keys()].sort((a, b) => a - b)) {
    const source = inheritFrom[index];
    out += "inherit (" + (source ? showExpr(source) : "") + ") " + bySource.get(index)!.join(" ") + "; ";
  }
  for (const d of sorted) {
    if (d.inherit === "none") out += showIdentifier(d.name) + " = " + showExpr(d.value) + "; ";
  }
  for (const d of dynamic) out += '"${' + showExpr(d.name) + '}" = ' + showExpr(d.value) + "; ";
  return out;
}

function showParts(parts: readonly (string | Expr)[], firstIsPath: boolean): string {
  return "(" + parts.map((p, i) => (typeof p === "string" ? (i === 0 && firstIsPath ? p : showString(p)) : showExpr(p))).join(" + ") + ")";
}

/** Nix's textual rendering of an expression (`Expr::show`). */
export function showExpr(e: Expr): string {
  switch (e.kind) {
    case "Int":
      return String(e.value);
    case "Float":
      return formatFloat(e.value);
    case "String":
      return showString(e.value);
    case "InterpString":
      return showParts(e.parts, false);
    case "Path":
      return e.value;
    case "InterpPath":
      return showParts(e.parts, true);
    case "Var":
      return showIdentifier(e.name);
    case "Select":
      return "(" + showExpr(e.expr) + ")." + showAttrPath(e.path) + (e.default ? " or (" + showExpr(e.default) + ")" : "");
    case "HasAttr":
      return "((" + showExpr(e.expr) + ") ? " + showAttrPath(e.path) + ")";
    case "Attrs":
      return (e.rec ? "rec " : "") + "{ " + showBindings(e.attrs, e.dynamic, e.inheritFrom) + "}";
    case "List":
      return "[ " + e.elems.map((x) => "(" + showExpr(x) + ") ").join("") + "]";
    case "Lambda": {
      let out = "(";
      if (e.formals) {
        const formals = [...e.formals.formals].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const items = formals.map((f) => showIdentifier(f.name) + (f.default ? " ? " + showExpr(f.default) : ""));
        if (e.formals.ellipsis) items.push("...");
        out += "{ " + items.join(", ") + " }";
        if (e.arg !== null) out += " @ ";
      }
      if (e.arg !== null) out += showIdentifier(e.arg);
      return out + ": " + showExpr(e.body) + ")";
    }
    case "Call":
      return "(" + showExpr(e.fn) + e.args.map((a) => " " + showExpr(a)).join("") + ")";
    case "Let":
      return "(let " + showBindings(e.attrs, [], e.inheritFrom) + "in " + showExpr(e.body) + ")";
    case "With":
      return "(with " + showExpr(e.env) + "; " + showExpr(e.body) + ")";
    case "If":
      return "(if " + showExpr(e.cond) + " then " + showExpr(e.then) + " else " + showExpr(e.else) + ")";
    case "Assert":
      return "assert " + showExpr(e.cond) + "; " + showExpr(e.body);
    case "Not":
      return "(! " + showExpr(e.expr) + ")";
    case "BinOp":
      return "(" + showExpr(e.lhs) + " " + e.op + " " + showExpr(e.rhs) + ")";
    case "InheritSource":
      return "«inherited»";
    case "CurPos":
      return "__curPos";
  }
}
