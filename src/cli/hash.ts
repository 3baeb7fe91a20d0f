// `tix hash …`: hashing files (flat) and paths (NAR), and converting hashes between base-16,
// nix32, base-64 and SRI, like `nix hash`.

import {
  hashFileContents,
  narFromFileSystem,
  parseHash,
  parseHashAlgo,
  parseHashFormat,
  printHash,
  FormatError,
  type Hash,
  type HashAlgo,
  type HashFormat,
} from "../store/index.js";
import { describeErrno } from "../eval/os-error.js";
import { UsageError } from "./usage.js";
import { argBytes, writeOut } from "./output.js";
import { parseArgs } from "./store.js";

const HASH_HELP = `Usage: tix hash COMMAND [ARGS...]

Commands:
  file [--type ALGO] [--base16|--base32|--base64|--sri] PATHS   hash files' contents
  path [--type ALGO] [--base16|--base32|--base64|--sri] PATHS   hash paths' NAR serialisation
  to-sri|to-base16|to-base32|to-base64 [--type ALGO] HASHES     convert hashes
  convert [--hash-algo ALGO] [--from FORMAT] [--to FORMAT] HASHES
                                                                convert hashes (default: to SRI)
`;

const FORMAT_FLAGS = ["--base16", "--base32", "--base64", "--sri"] as const;

/** The output format flag given last (like Nix, `--base16 --sri` prints SRI), or `fallback`. */
function outputFormat(args: readonly string[], fallback: HashFormat): HashFormat {
  const end = args.indexOf("--");
  const flags = end < 0 ? args : args.slice(0, end);
  const chosen = flags.filter((a) => (FORMAT_FLAGS as readonly string[]).includes(a)).pop();
  return chosen === undefined ? fallback : parseHashFormat(chosen.slice(2));
}

function algoOf(values: ReadonlyMap<string, string>, key: string): HashAlgo | undefined {
  const t = values.get(key);
  return t === undefined ? undefined : parseHashAlgo(t);
}

export function runHash(argv: readonly string[]): number {
  const [sub, ...rest] = argv;
  switch (sub) {
    case undefined:
    case "--help":
      writeOut(HASH_HELP);
      return 0;
    case "file":
    case "path":
      return hashPaths(rest, sub);
    case "to-sri":
      return convertLegacy(rest, "sri");
    case "to-base16":
      return convertLegacy(rest, "base16");
    case "to-base32":
      return convertLegacy(rest, "nix32");
    case "to-base64":
      return convertLegacy(rest, "base64");
    case "convert":
      return convertCmd(rest);
    default:
      throw new UsageError(`'${sub}' is not a recognised 'hash' command`);
  }
}

function hashPaths(args: readonly string[], mode: "file" | "path"): number {
  const a = parseArgs(args, { bool: [...FORMAT_FLAGS], valued: ["--type", "--algo"] });
  const algo = algoOf(a.values, "--type") ?? algoOf(a.values, "--algo") ?? "sha256";
  const format = outputFormat(args, "sri");
  for (const p of a.positional) {
    let h: Hash;
    try {
      h = mode === "file" ? hashFileContents(p, algo) : narFromFileSystem(p, { algo }).narHash;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === undefined) throw e;
      // Said the way Nix says it, naming the file: `reading from file 'DIR': Is a directory`.
      const action = err.syscall === "read" ? "reading from file" : mode === "file" ? "opening file" : "getting status of";
      const shown = err.syscall === "read" || err.path === undefined ? p : err.path;
      throw new Error(`${action} '${argBytes(shown)}': ${describeErrno(err)}`);
    }
    writeOut(printHash(h, format) + "\n");
  }
  return 0;
}

function convertLegacy(args: readonly string[], to: HashFormat): number {
  const a = parseArgs(args, { valued: ["--type"] });
  const algo = algoOf(a.values, "--type");
  for (const s of a.positional) writeOut(printHash(parseHash(s, algo), to) + "\n");
  return 0;
}

function convertCmd(args: readonly string[]): number {
  const a = parseArgs(args, { valued: ["--hash-algo", "--algo", "--from", "--to"] });
  const algo = algoOf(a.values, "--hash-algo") ?? algoOf(a.values, "--algo");
  const to = parseHashFormat(a.values.get("--to") ?? "sri");
  const fromText = a.values.get("--from");
  const from = fromText === undefined ? undefined : parseHashFormat(fromText);
  for (const s of a.positional) {
    const h = parseHash(s, algo);
    if (from !== undefined && !writtenIn(s, h, from)) {
      throw new FormatError(`hash '${s}' is not in the '${fromText}' format`);
    }
    writeOut(printHash(h, to) + "\n");
  }
  return 0;
}

/** Whether hash string `s` (which parses as `h`) is written in `format`. */
function writtenIn(s: string, h: Hash, format: HashFormat): boolean {
  if (format === "sri") return s === printHash(h, "sri");
  const colon = s.indexOf(":");
  const body = colon >= 0 ? s.slice(colon + 1) : s;
  if (s.indexOf("-") >= 0 && colon < 0) return false;
  const want = printHash(h, format);
  return format === "base16" ? body.toLowerCase() === want : body === want || body.replace(/=+$/, "") === want.replace(/=+$/, "");
}
