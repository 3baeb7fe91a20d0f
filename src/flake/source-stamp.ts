// A stamp of a local directory tree from file metadata alone (names, types, modes, sizes, inodes,
// modification and change times), so an unchanged `path:` flake can be recognised without
// reading, hashing and copying its files again. Any change to a file gives it a new change time
// (the kernel sets it; no program can set it back), so an equal stamp means equal contents,
// provided no change time in the stamp is so recent that a later change could share it: such
// stamps are "unsettled" and must not be trusted (the same rule as git's "racily clean" index).

import * as fs from "node:fs";
import { hashBytes } from "../store/formats/hash.js";

export interface TreeStamp {
  /**
   * The metadata of every entry, in a fixed order: as it is for small trees, else its SHA-256
   * (hex). Compared for equality only.
   */
  readonly digest: string;
  /**
   * True when every change time is older than the walk's start by more than the file system's
   * timestamp granularity: a change after the walk would then show as a new change time.
   */
  readonly settled: boolean;
}

/** Trees with more entries are not stamped (the caller just does the full work). */
const MAX_ENTRIES = 50_000;

/**
 * How old a change time must be to be settled: Linux stamps files from a clock that ticks every
 * 1–10 ms; file systems that keep whole seconds (FAT, ext3 with small inodes, some NFS servers)
 * need two seconds.
 */
const SETTLE_FINE_MS = 100;
const SETTLE_COARSE_MS = 2000;

/** Longer metadata texts are kept as their hash. */
const MAX_PLAIN_DIGEST = 4096;

/** Stamps the tree at `root` (a directory, not followed if it is a link); undefined if it is not a directory, too large or unreadable. */
export function stampTree(root: string, nowMs: number = Date.now()): TreeStamp | undefined {
  const lines: string[] = [];
  let newestChange = 0;
  let coarse = false;
  const slash = Buffer.from("/");
  const visit = (p: Buffer, rel: string): boolean => {
    // Times in milliseconds (with a fraction) are precise enough: a change after the walk is
    // told apart by the settling margin, not by the last digits.
    const st = fs.lstatSync(p);
    if (st.ctimeMs > newestChange) newestChange = st.ctimeMs;
    if (st.ctimeMs % 1000 === 0) coarse = true;
    const type = st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o";
    lines.push(`${JSON.stringify(rel)} ${type} ${st.mode} ${st.size} ${st.dev} ${st.ino} ${st.mtimeMs} ${st.ctimeMs}`);
    if (lines.length > MAX_ENTRIES) return false;
    if (type !== "d") return true;
    const names = fs.readdirSync(p, { encoding: "buffer" }).sort(Buffer.compare);
    for (const name of names) {
      if (!visit(Buffer.concat([p, slash, name]), rel + "/" + name.toString("latin1"))) return false;
    }
    return true;
  };
  try {
    if (!fs.lstatSync(root).isDirectory()) return undefined;
    if (!visit(Buffer.from(root), "")) return undefined;
  } catch {
    return undefined;
  }
  const text = lines.join("\n");
  const digest = text.length <= MAX_PLAIN_DIGEST ? text : Buffer.from(hashBytes("sha256", Buffer.from(text, "latin1")).bytes).toString("hex");
  return { digest, settled: newestChange + (coarse ? SETTLE_COARSE_MS : SETTLE_FINE_MS) < nowMs };
}
