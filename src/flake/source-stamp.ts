// A stamp of a local directory tree from file metadata alone (names, types, modes, sizes, inodes,
// modification and change times), so an unchanged `path:` flake can be recognised without
// reading, hashing and copying its files again. Any change to a file gives it a new change time
// (the kernel sets it; no program can set it back), so an equal stamp means equal contents,
// provided no change time in the stamp is so recent that a later change could share it: such
// stamps are "unsettled" and must not be trusted (the same rule as git's "racily clean" index).

import * as fs from "node:fs";
import { hashBytes } from "../store/formats/hash.js";

export interface TreeStamp {
  /** SHA-256 (hex) of the metadata of every entry, in a fixed order. */
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
const SETTLE_FINE_NS = 100_000_000n;
const SETTLE_COARSE_NS = 2_000_000_000n;

/** Stamps the tree at `root` (a directory, not followed if it is a link); undefined if it is not a directory, too large or unreadable. */
export function stampTree(root: string, nowMs: number = Date.now()): TreeStamp | undefined {
  const start = BigInt(Math.floor(nowMs)) * 1_000_000n;
  const lines: string[] = [];
  let newestChange = 0n;
  let coarse = false;
  const slash = Buffer.from("/");
  const visit = (p: Buffer, rel: string): boolean => {
    const st = fs.lstatSync(p, { bigint: true });
    if (st.ctimeNs > newestChange) newestChange = st.ctimeNs;
    if (st.ctimeNs % 1_000_000_000n === 0n) coarse = true;
    const type = st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o";
    lines.push(`${rel}\0${type}\0${st.mode}\0${st.size}\0${st.dev}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}`);
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
  const digest = Buffer.from(hashBytes("sha256", Buffer.from(lines.join("\n"), "latin1")).bytes).toString("hex");
  return { digest, settled: newestChange + (coarse ? SETTLE_COARSE_NS : SETTLE_FINE_NS) < start };
}
