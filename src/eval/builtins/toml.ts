// `builtins.fromTOML`: our TOML 1.0 parser (../toml.ts), converted to Nix values. Dates and times
// are an error unless the experimental feature `parse-toml-timestamps` is enabled.
import { EvalError } from "../errors.js";
import { expectPlainString } from "../expect.js";
import type { EvalSettings } from "../state.js";
import { TomlDateTime, TomlError, TomlTable, parseTOML, tomlErrorLocation, type TomlValue } from "../toml.js";
import { Attrs, NixFloat, intFromBigInt, type Pos, type Value } from "../value.js";
import type { BuiltinRegistry } from "./registry.js";

/** Whether an experimental feature is on (settings may carry `experimentalFeatures`). */
function featureEnabled(settings: EvalSettings, feature: string): boolean {
  const features = (settings as { readonly experimentalFeatures?: readonly string[] }).experimentalFeatures;
  return features !== undefined && features.includes(feature);
}

/** A parse error in the style of the TOML library Nix uses: message, then the offending line. */
export function formatTomlError(text: string, e: TomlError): string {
  const { line, column, lineText } = tomlErrorLocation(text, e.offset);
  const num = String(line);
  const pad = " ".repeat(num.length);
  return [
    `[error] ${e.message}`,
    `${pad}--> fromTOML`,
    `${pad} |`,
    `${num} | ${lineText}`,
    `${pad} | ${" ".repeat(Math.max(0, column - 1))}^-- here`,
  ].join("\n");
}

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("fromTOML", 1, ([v], pos) => {
    const text = expectPlainString(v, "while evaluating the argument passed to builtins.fromTOML", pos);
    let doc: TomlTable;
    try {
      doc = parseTOML(text);
    } catch (e) {
      if (e instanceof TomlError) throw new EvalError(`while parsing TOML: ${formatTomlError(text, e)}`, "eval", pos);
      throw e;
    }
    const timestamps = featureEnabled(state.settings, "parse-toml-timestamps");
    return toNix(doc, timestamps, pos);
  });
}

function toNix(v: TomlValue, timestamps: boolean, pos: Pos | null): Value {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "bigint":
      return intFromBigInt(v);
    case "number":
      return new NixFloat(v);
  }
  if (Array.isArray(v)) return v.map((x) => toNix(x, timestamps, pos));
  if (v instanceof TomlTable) {
    const m = new Map<string, Value>();
    for (const [k, x] of v.map) m.set(k, toNix(x, timestamps, pos));
    return new Attrs(m);
  }
  if (v instanceof TomlDateTime) {
    if (!timestamps) throw new EvalError("while parsing TOML: Dates and times are not supported", "eval", pos);
    return new Attrs(
      new Map<string, Value>([
        ["_type", "timestamp"],
        ["value", v.text],
      ]),
    );
  }
  throw new Error("unreachable TOML value");
}
