// JSON text exactly as Nix writes it (its JSON library with `dump(2)`): object keys in UTF-8 byte
// order, two-space indentation, raw non-ASCII, `/` unescaped, other control characters as `\u00xx`.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Compares strings by Unicode code point, which is the UTF-8 byte order Nix's std::map keys use. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Object keys in Nix's order. */
export function sortedKeys(obj: object): string[] {
  return Object.keys(obj).sort(compareCodePoints);
}

/** A JSON string literal with Nix's escaping. */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += "\\\\"; break;
      case 0x08: out += "\\b"; break;
      case 0x0c: out += "\\f"; break;
      case 0x0a: out += "\\n"; break;
      case 0x0d: out += "\\r"; break;
      case 0x09: out += "\\t"; break;
      default:
        out += c < 0x20 ? "\\u00" + c.toString(16).padStart(2, "0") : s[i];
    }
  }
  return out + '"';
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return "null";
  if (Number.isInteger(n)) return n.toString();
  return JSON.stringify(n);
}

/**
 * Serialises `value` like Nix's `json.dump(indent)`; indent < 0 gives the compact one-line form
 * (`{"a":1}`). No trailing newline.
 */
export function dumpJson(value: JsonValue, indent = 2): string {
  const nl = indent >= 0 ? "\n" : "";
  const colon = indent >= 0 ? ": " : ":";
  const step = indent >= 0 ? " ".repeat(indent) : "";
  const go = (v: JsonValue, pad: string): string => {
    if (v === null) return "null";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return numberText(v);
    if (typeof v === "string") return jsonString(v);
    const inner = pad + step;
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return "[" + nl + v.map((x) => inner + go(x, inner)).join("," + nl) + nl + pad + "]";
    }
    const keys = sortedKeys(v);
    if (keys.length === 0) return "{}";
    return "{" + nl + keys.map((k) => inner + jsonString(k) + colon + go(v[k]!, inner)).join("," + nl) + nl + pad + "}";
  };
  return go(value, "");
}
