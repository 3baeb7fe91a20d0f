// Writing values as JSON (§4.10): `builtins.toJSON`, `nix-instantiate --eval --json`, `nix eval --json`.
// Output is a byte string (one char per byte); strings must be valid UTF-8 and are written raw.
import { ByteWriter } from "./byte-writer.js";
import { EvalError, MAX_VALUE_DEPTH, valueNestedTooDeeply } from "./errors.js";
import { showValueForError } from "./print.js";
import { attrPos, type EvalState } from "./state.js";
import {
  Attrs,
  Lambda,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  intToString,
  mkString,
  showType,
  type Pos,
  type Value,
} from "./value.js";

export interface ToJSONOptions {
  /** Copy paths into the store and write the store path (toJSON) or write the path itself (`nix eval --json`). */
  readonly copyToStore: boolean;
  /**
   * Force values while writing (toJSON, `--strict`). When false an unevaluated nested thunk is an
   * error (`cannot convert a thunk to JSON`), as in `nix-instantiate --eval --json` without `--strict`.
   */
  readonly strict: boolean;
  /** Pretty-print with this many spaces per level (`nix eval --json` on a terminal); compact if absent. */
  readonly indent?: number;
}

/** JSON text of a float: shortest round-trip digits, positional when -4 < exponent ≤ 15. */
export function formatJSONFloat(x: number): string {
  if (!Number.isFinite(x)) return "null";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e15) {
    // JS prints this range positionally with the same shortest digits.
    const s = String(x);
    return s.includes(".") ? s : s + ".0";
  }
  const sign = x < 0 ? "-" : "";
  const exp = Math.abs(x).toExponential(); // shortest digits: d[.ddd]e±X
  const eIdx = exp.indexOf("e");
  const digits = exp.slice(0, eIdx).replace(".", "");
  // The value is 0.DIGITS × 10^n.
  const n = Number(exp.slice(eIdx + 1)) + 1;
  const len = digits.length;
  let body: string;
  if (len <= n && n <= 15) {
    body = digits + "0".repeat(n - len) + ".0";
  } else if (0 < n && n <= 15) {
    body = digits.slice(0, n) + "." + digits.slice(n);
  } else if (-4 < n && n <= 0) {
    body = "0." + "0".repeat(-n) + digits;
  } else {
    const e = n - 1;
    const abs = Math.abs(e);
    body = (len === 1 ? digits : digits[0] + "." + digits.slice(1)) + "e" + (e < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
  }
  return sign + body;
}

/**
 * Why `s` (a byte string) is not valid UTF-8, in the words of the JSON library Nix uses, or null.
 * Index and byte are those of the first byte that cannot continue a well-formed sequence.
 */
export function utf8Problem(s: string): string | null {
  const len = s.length;
  let i = 0;
  while (i < len) {
    const b = s.charCodeAt(i);
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return invalidByte(i, b);
    i++;
    for (let k = 0; k < need; k++, i++) {
      if (i >= len) return `incomplete UTF-8 string; last byte: 0x${hex2(s.charCodeAt(len - 1))}`;
      const c = s.charCodeAt(i);
      if (c < lo || c > hi) return invalidByte(i, c);
      lo = 0x80;
      hi = 0xbf;
    }
  }
  return null;
}

function invalidByte(i: number, b: number): string {
  return `invalid UTF-8 byte at index ${i}: 0x${hex2(b)}`;
}

function hex2(b: number): string {
  return (b < 16 ? "0" : "") + b.toString(16).toUpperCase();
}

const NEEDS_ESCAPE = /["\\\x00-\x1f]/;
const NON_ASCII = /[\x80-\xff]/;
const SHORT_ESCAPES: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** A JSON string literal for the byte string `s` (bytes ≥ 0x7f are written raw). */
export function quoteJSONString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? "\\u00" + (c < 16 ? "0" : "") + c.toString(16));
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/**
 * Writes `v` as JSON. The result carries the context of all strings written (and of store paths
 * created for paths). Evaluation errors get Nix's trace lines (`while evaluating attribute 'a'`,
 * `while evaluating list element at index 3`); invalid UTF-8 is reported after the whole value
 * was written, as `JSON serialization error: …`.
 */
export function printValueAsJSON(state: EvalState, v: Value, opts: ToJSONOptions, pos: Pos | null = null): string | NixString {
  const context = new Set<string>();
  return mkString(valueToJSON(state, v, { ...opts, context }, pos), context);
}

/**
 * Like `printValueAsJSON`, but returns the JSON text alone; the context of the strings written is
 * added to `opts.context` when given (derivations' `__json`, the CLI's `--json` output).
 */
export function valueToJSON(
  state: EvalState,
  v: Value,
  opts: ToJSONOptions & { readonly context?: Set<string> },
  pos: Pos | null = null,
): string {
  const out = new ByteWriter();
  const ctx = opts.context ?? null;
  let encodingError: string | null = null;
  const indent = opts.indent ?? 0;
  const pretty = indent > 0;

  const addContext = (s: string | NixString): string => {
    if (typeof s === "string") return s;
    if (ctx !== null) for (const c of s.ctx) ctx.add(c);
    return s.s;
  };
  const writeString = (s: string): void => {
    if (encodingError === null && NON_ASCII.test(s)) encodingError = utf8Problem(s);
    if (NEEDS_ESCAPE.test(s)) out.write(quoteJSONString(s));
    else {
      out.write('"');
      out.write(s);
      out.write('"');
    }
  };
  const newline = (depth: number): void => {
    out.write("\n" + " ".repeat(depth * indent));
  };

  // `depth` is the indentation level; `nest` also counts `__toString` results and `outPath`s
  // (which can lead back to their own set), to end infinite values (MAX_VALUE_DEPTH).
  const write = (v: Value, pos: Pos | null, depth: number, nest: number): void => {
    if (nest > MAX_VALUE_DEPTH) valueNestedTooDeeply();
    if (v instanceof Thunk) {
      if (opts.strict) v = v.force();
      else {
        const inner = v.peek();
        if (inner === undefined) throw new EvalError("cannot convert a thunk to JSON", "eval", pos);
        v = inner;
      }
    }
    switch (typeof v) {
      case "number":
      case "bigint":
        out.write(intToString(v));
        return;
      case "boolean":
        out.write(v ? "true" : "false");
        return;
      case "string":
        writeString(v);
        return;
    }
    if (v === null) {
      out.write("null");
      return;
    }
    if (v instanceof NixString) {
      writeString(addContext(v));
      return;
    }
    if (v instanceof NixFloat) {
      out.write(formatJSONFloat(v.value));
      return;
    }
    if (v instanceof NixPath) {
      writeString(addContext(state.coerceToString(v, { copyToStore: opts.copyToStore }, pos)));
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) {
        out.write("[]");
        return;
      }
      out.write("[");
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out.write(",");
        if (pretty) newline(depth + 1);
        try {
          write(v[i], pos, depth + 1, nest + 1);
        } catch (e) {
          if (e instanceof EvalError) e.addTrace(`while evaluating list element at index ${i}`, pos);
          throw e;
        }
      }
      if (pretty) newline(depth);
      out.write("]");
      return;
    }
    if (v instanceof Attrs) {
      const toStr = v.get("__toString");
      if (toStr !== undefined) {
        let r = state.call(toStr, [v], pos);
        if (r instanceof Thunk) r = r.force();
        if (typeof r !== "string" && !(r instanceof NixString) && !(r instanceof NixPath)) {
          throw new EvalError(`\`__toString\` should return a string, but got ${showType(r)}: ${showValueForError(r)}`, "eval", pos);
        }
        write(r, pos, depth, nest + 1);
        return;
      }
      const outPath = v.get("outPath");
      if (outPath !== undefined) {
        write(outPath, attrPos(v, "outPath") ?? pos, depth, nest + 1);
        return;
      }
      if (v.size === 0) {
        out.write("{}");
        return;
      }
      out.write("{");
      const names = v.sortedNames();
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (i > 0) out.write(",");
        if (pretty) newline(depth + 1);
        writeString(name);
        out.write(pretty ? ": " : ":");
        const apos = attrPos(v, name);
        try {
          write(v.get(name)!, apos ?? pos, depth + 1, nest + 1);
        } catch (e) {
          if (e instanceof EvalError) e.addTrace(`while evaluating attribute '${name}'`, apos ?? pos);
          throw e;
        }
      }
      if (pretty) newline(depth);
      out.write("}");
      return;
    }
    // Like Nix, a lambda is reported where it is written.
    throw new EvalError(`cannot convert ${showType(v)} to JSON`, "eval", v instanceof Lambda ? v.info.pos : pos);
  };

  write(v, pos, 0, 0);
  if (encodingError !== null) {
    throw new EvalError(`JSON serialization error: [json.exception.type_error.316] ${encodingError}`, "eval", pos);
  }
  return out.toString();
}
