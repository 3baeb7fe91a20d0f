// Writing values as XML in Nix's format (§4.10): `builtins.toXML` and `nix-instantiate --eval --xml`.
import { lineColumn } from "../lang/position.js";
import { ByteWriter } from "./byte-writer.js";
import { MAX_VALUE_DEPTH, valueNestedTooDeeply } from "./errors.js";
import { formatFloat } from "./print.js";
import { attrPos, type EvalState } from "./state.js";
import {
  Attrs,
  Lambda,
  NixFloat,
  NixPath,
  NixString,
  Thunk,
  compareNames,
  intToString,
  mkString,
  type Pos,
  type Value,
} from "./value.js";

export interface ToXMLOptions {
  /** Force values while writing (toXML, `--strict`); otherwise unevaluated thunks are `<unevaluated />`. */
  readonly strict: boolean;
  /** Add `path`/`line`/`column` attributes to `<attr>` and `<function>` (nix-instantiate's default). */
  readonly location: boolean;
}

/** An XML attribute value with `"`, `<`, `>`, `&` and newlines escaped (other bytes raw). */
export function escapeXMLAttribute(s: string): string {
  if (!/["<>&\n]/.test(s)) return s;
  return s.replace(/["<>&\n]/g, (c) =>
    c === '"' ? "&quot;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : "&#xA;",
  );
}

type XMLAttrs = [string, string][];

/**
 * Writes `v` as an XML document (`<?xml …?>`, `<expr>…</expr>`, two-space indentation). The
 * result carries the context of the strings written.
 */
export function printValueAsXML(state: EvalState, v: Value, opts: ToXMLOptions, pos: Pos | null = null): string | NixString {
  const context = new Set<string>();
  return mkString(valueToXML(state, v, { ...opts, context }, pos), context);
}

/** Like `printValueAsXML`, returning the text alone; string contexts go to `opts.context` if given. */
export function valueToXML(
  state: EvalState,
  v: Value,
  opts: ToXMLOptions & { readonly context?: Set<string> },
  pos: Pos | null = null,
): string {
  const out = new ByteWriter();
  out.write("<?xml version='1.0' encoding='utf-8'?>\n");
  const ctx = opts.context ?? null;
  const drvsSeen = new Set<string>();
  let depth = 0;
  // The lists and (non-derivation) sets being written, since the last derivation: meeting one
  // again inside itself means the output never ends (Nix writes until it runs out of memory).
  let openValues = new Set<object>();
  const enter = (v: object): void => {
    if (openValues.has(v)) valueNestedTooDeeply();
    openValues.add(v);
  };

  const attrsText = (attrs: XMLAttrs): string => {
    if (attrs.length === 0) return "";
    attrs.sort((a, b) => compareNames(a[0], b[0]));
    let out = "";
    for (const [k, val] of attrs) out += ` ${k}="${escapeXMLAttribute(val)}"`;
    return out;
  };
  const indent = (): string => "  ".repeat(depth);
  const empty = (name: string, attrs: XMLAttrs = []): void => {
    out.write(`${indent()}<${name}${attrsText(attrs)} />\n`);
  };
  const open = (name: string, attrs: XMLAttrs = []): void => {
    out.write(`${indent()}<${name}${attrsText(attrs)}>\n`);
    if (++depth > MAX_VALUE_DEPTH) valueNestedTooDeeply();
  };
  const close = (name: string): void => {
    depth--;
    out.write(`${indent()}</${name}>\n`);
  };
  const addPos = (attrs: XMLAttrs, p: Pos): void => {
    if (p.source.origin === "file" && p.source.path !== null) attrs.push(["path", p.source.path]);
    const { line, column } = lineColumn(p.source, p.offset);
    attrs.push(["line", String(line)], ["column", String(column)]);
  };
  const stringOf = (s: string | NixString): string => {
    if (typeof s === "string") return s;
    if (ctx !== null) for (const c of s.ctx) ctx.add(c);
    return s.s;
  };
  /** The bytes of a `drvPath`/`outPath` attribute if it is (or, when strict, evaluates to) a string. */
  const stringAttr = (s: Attrs, name: string): string | null => {
    let a = s.get(name);
    if (a === undefined) return null;
    if (a instanceof Thunk) a = opts.strict ? a.force() : a.peek();
    // Only the bytes: the context is collected when the attribute itself is written.
    return typeof a === "string" ? a : a instanceof NixString ? a.s : null;
  };

  const showAttrs = (s: Attrs): void => {
    for (const name of s.sortedNames()) {
      const attrs: XMLAttrs = [["name", name]];
      const apos = attrPos(s, name);
      if (opts.location && apos !== null) addPos(attrs, apos);
      open("attr", attrs);
      write(s.get(name)!);
      close("attr");
    }
  };

  const write = (v: Value): void => {
    if (v instanceof Thunk) {
      const inner = opts.strict ? v.force() : v.peek();
      if (inner === undefined) return empty("unevaluated");
      v = inner;
    }
    switch (typeof v) {
      case "number":
      case "bigint":
        return empty("int", [["value", intToString(v)]]);
      case "boolean":
        return empty("bool", [["value", v ? "true" : "false"]]);
      case "string":
        return empty("string", [["value", v]]);
    }
    if (v === null) return empty("null");
    if (v instanceof NixString) return empty("string", [["value", stringOf(v)]]);
    if (v instanceof NixFloat) return empty("float", [["value", formatFloat(v.value)]]);
    if (v instanceof NixPath) return empty("path", [["value", v.path]]);
    if (Array.isArray(v)) {
      enter(v);
      open("list");
      for (const item of v) write(item);
      close("list");
      openValues.delete(v);
      return;
    }
    if (v instanceof Attrs) {
      if (isDerivation(v)) {
        const attrs: XMLAttrs = [];
        const drvPath = stringAttr(v, "drvPath");
        if (drvPath !== null) attrs.push(["drvPath", drvPath]);
        const outPath = stringAttr(v, "outPath");
        if (outPath !== null) attrs.push(["outPath", outPath]);
        open("derivation", attrs);
        if (drvPath !== null && drvPath !== "" && !drvsSeen.has(drvPath)) {
          drvsSeen.add(drvPath);
          // Below a derivation a set may appear again without looping: the derivation is `<repeated />` then.
          const outer = openValues;
          openValues = new Set();
          showAttrs(v);
          openValues = outer;
        } else empty("repeated");
        close("derivation");
        return;
      }
      enter(v);
      open("attrs");
      showAttrs(v);
      close("attrs");
      openValues.delete(v);
      return;
    }
    if (v instanceof Lambda) {
      const info = v.info;
      const attrs: XMLAttrs = [];
      if (opts.location) addPos(attrs, info.pos);
      open("function", attrs);
      if (info.formals !== null) {
        const patAttrs: XMLAttrs = [];
        if (info.argName != null) patAttrs.push(["name", info.argName]);
        if (info.ellipsis) patAttrs.push(["ellipsis", "1"]);
        open("attrspat", patAttrs);
        for (const name of info.formals.map((f) => f.name).sort(compareNames)) empty("attr", [["name", name]]);
        close("attrspat");
      } else {
        empty("varpat", [["name", info.argName ?? ""]]);
      }
      close("function");
      return;
    }
    // Primops and their partial applications are not serialised.
    empty("unevaluated");
  };

  /** `type = "derivation"` (forcing `type`, as Nix does even when not strict). */
  const isDerivation = (s: Attrs): boolean => {
    let t = s.get("type");
    if (t === undefined) return false;
    if (t instanceof Thunk) t = t.force();
    return t === "derivation" || (t instanceof NixString && t.s === "derivation");
  };

  out.write("<expr>\n");
  depth = 1;
  write(v);
  out.write("</expr>\n");
  void state;
  void pos;
  return out.toString();
}
