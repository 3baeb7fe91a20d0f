// `__structuredAttrs` derivations: the `.attrs.json` (the derivation's `__json` with `outputs` set
// to the output paths) and `.attrs.sh` (bash `declare`s of its simple values) in the build dir.

/** A parsed JSON value that remembers the source text of numbers and strings (for exact output). */
type JsonNode =
  | { readonly kind: "object"; readonly entries: [string, JsonNode][] }
  | { readonly kind: "array"; readonly items: JsonNode[] }
  | { readonly kind: "string"; readonly raw: string; readonly value: string }
  | { readonly kind: "number"; readonly raw: string; readonly integer: boolean }
  | { readonly kind: "literal"; readonly raw: "true" | "false" | "null" };

class JsonReader {
  pos = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new Error(`malformed __json in derivation: ${what} at offset ${this.pos}`);
  }

  ws(): void {
    while (this.pos < this.s.length && " \t\n\r".includes(this.s[this.pos]!)) this.pos++;
  }

  value(): JsonNode {
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") {
      this.pos++;
      const entries: [string, JsonNode][] = [];
      this.ws();
      if (this.s[this.pos] === "}") {
        this.pos++;
        return { kind: "object", entries };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        if (this.s[this.pos++] !== ":") this.fail("expected ':'");
        entries.push([key.value, this.value()]);
        this.ws();
        const d = this.s[this.pos++];
        if (d === "}") return { kind: "object", entries };
        if (d !== ",") this.fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      this.pos++;
      const items: JsonNode[] = [];
      this.ws();
      if (this.s[this.pos] === "]") {
        this.pos++;
        return { kind: "array", items };
      }
      for (;;) {
        items.push(this.value());
        this.ws();
        const d = this.s[this.pos++];
        if (d === "]") return { kind: "array", items };
        if (d !== ",") this.fail("expected ',' or ']'");
      }
    }
    if (c === '"') return this.string();
    for (const lit of ["true", "false", "null"] as const) {
      if (this.s.startsWith(lit, this.pos)) {
        this.pos += lit.length;
        return { kind: "literal", raw: lit };
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 64));
    if (m === null) this.fail("unexpected character");
    this.pos += m[0].length;
    return { kind: "number", raw: m[0], integer: m[1] === undefined && m[2] === undefined };
  }

  string(): { kind: "string"; raw: string; value: string } {
    const start = this.pos;
    if (this.s[this.pos++] !== '"') this.fail("expected a string");
    let value = "";
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) this.fail("unterminated string");
      if (c === '"') break;
      if (c !== "\\") {
        value += c;
        continue;
      }
      const e = this.s[this.pos++];
      switch (e) {
        case "n": value += "\n"; break;
        case "t": value += "\t"; break;
        case "r": value += "\r"; break;
        case "b": value += "\b"; break;
        case "f": value += "\f"; break;
        case "u": {
          const code = Number.parseInt(this.s.slice(this.pos, this.pos + 4), 16);
          this.pos += 4;
          // Back to a byte string (UTF-8 bytes, one char each).
          value += Buffer.from(String.fromCharCode(code), "utf8").toString("latin1");
          break;
        }
        default: value += e;
      }
    }
    return { kind: "string", raw: this.s.slice(start, this.pos), value };
  }
}

function writeJson(n: JsonNode): string {
  switch (n.kind) {
    case "object":
      return "{" + n.entries.map(([k, v]) => jsonString(k) + ":" + writeJson(v)).join(",") + "}";
    case "array":
      return "[" + n.items.map(writeJson).join(",") + "]";
    default:
      return n.raw;
  }
}

/** A byte string as a JSON string, escaped the way Nix's JSON writer does. */
function jsonString(s: string): string {
  return (
    '"' +
    s.replace(/["\\\x00-\x1f]/g, (c) => {
      const named: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };
      return named[c] ?? "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
    }) +
    '"'
  );
}

/** Single-quotes a byte string for bash. */
export function shellEscape(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** A simple JSON value as a bash word, or null if it has no bash form (floats, arrays, objects). */
function shellValue(n: JsonNode): string | null {
  switch (n.kind) {
    case "string":
      return shellEscape(n.value);
    case "number":
      return n.integer ? n.raw : null;
    case "literal":
      // As Nix writes them: true is 1, false is empty, null is ''.
      return n.raw === "true" ? "1" : n.raw === "false" ? "" : shellEscape("");
    default:
      return null;
  }
}

const SHELL_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface StructuredAttrsFiles {
  /** Contents of `.attrs.json` (a byte string). */
  readonly json: string;
  /** Contents of `.attrs.sh` (a byte string). */
  readonly sh: string;
}

/** Sets `key` in a key-sorted entry list (replacing an existing entry). */
function setSorted(entries: [string, JsonNode][], key: string, value: JsonNode): void {
  const existing = entries.findIndex(([k]) => k === key);
  if (existing >= 0) entries.splice(existing, 1);
  let at = entries.findIndex(([k]) => k > key);
  if (at < 0) at = entries.length;
  entries.splice(at, 0, [key, value]);
}

/**
 * The two files for a derivation whose `__json` env entry is `jsonText`, with `outputs` (output
 * name → store path) replacing the `outputs` attribute, and `extra` entries (raw JSON values,
 * e.g. exported reference graphs) added.
 */
export function structuredAttrsFiles(
  jsonText: string,
  outputs: ReadonlyMap<string, string>,
  extra: ReadonlyMap<string, string> = new Map(),
): StructuredAttrsFiles {
  const root = new JsonReader(jsonText).value();
  if (root.kind !== "object") throw new Error("malformed __json in derivation: not an object");
  const outputsNode: JsonNode = {
    kind: "object",
    entries: [...outputs.keys()].sort().map((name) => {
      const p = outputs.get(name)!;
      return [name, { kind: "string", raw: jsonString(p), value: p }];
    }),
  };
  const entries = [...root.entries];
  for (const [k, raw] of extra) setSorted(entries, k, new JsonReader(raw).value());
  setSorted(entries, "outputs", outputsNode);
  const json = writeJson({ kind: "object", entries });

  let sh = "";
  for (const [key, value] of entries) {
    if (!SHELL_VAR.test(key)) continue;
    const simple = shellValue(value);
    if (simple !== null) {
      sh += `declare ${key}=${simple}\n`;
    } else if (value.kind === "array") {
      const words = value.items.map(shellValue);
      if (words.every((w) => w !== null)) sh += `declare -a ${key}=(${words.map((w) => `${w} `).join("")})\n`;
    } else if (value.kind === "object") {
      const words = value.entries.map(([k, v]) => [k, shellValue(v)] as const);
      if (words.every(([, w]) => w !== null)) sh += `declare -A ${key}=(${words.map(([k, w]) => `[${shellEscape(k)}]=${w} `).join("")})\n`;
    }
  }
  return { json, sh };
}
