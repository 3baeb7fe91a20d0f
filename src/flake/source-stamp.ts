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

/**
 * Builds a stamp from entries reported in walk order: the root first, then each directory's
 * entries sorted by their names' bytes, depth first (the order of a NAR). Used by stampTree and
 * by a walk that copies the tree, which reports each entry's own metadata before reading it: a
 * change after that shows as a newer change time in the next stamp, as with a separate walk
 * taken before the copy.
 */
export class TreeStamper {
  private readonly lines: string[] = [];
  private newestChange = 0;
  private coarse = false;
  private tooLarge = false;
  private rootLength = -1;

  /** `nowMs`: a time before the walk starts (the settling margin is counted from it). */
  constructor(private readonly nowMs: number = Date.now()) {}

  /** `p`: the entry's path, a Buffer or a byte string (one char per byte), the root's first. */
  add(p: Buffer | string, st: fs.Stats): void {
    if (this.tooLarge) return;
    if (this.rootLength < 0) this.rootLength = p.length;
    // Times in milliseconds (with a fraction) are precise enough: a change after the walk is
    // told apart by the settling margin, not by the last digits.
    if (st.ctimeMs > this.newestChange) this.newestChange = st.ctimeMs;
    if (st.ctimeMs % 1000 === 0) this.coarse = true;
    const type = st.isDirectory() ? "d" : st.isFile() ? "f" : st.isSymbolicLink() ? "l" : "o";
    const rel = typeof p === "string" ? p.slice(this.rootLength) : p.toString("latin1", this.rootLength);
    this.lines.push(`${JSON.stringify(rel)} ${type} ${st.mode} ${st.size} ${st.dev} ${st.ino} ${st.mtimeMs} ${st.ctimeMs}`);
    if (this.lines.length > MAX_ENTRIES) this.tooLarge = true;
  }

  /** The stamp; undefined when nothing was reported, the root is not a directory, or the tree is too large. */
  finish(): TreeStamp | undefined {
    if (this.tooLarge || this.lines.length === 0 || this.lines[0]!.split(" ")[1] !== "d") return undefined;
    const text = this.lines.join("\n");
    const digest = text.length <= MAX_PLAIN_DIGEST ? text : Buffer.from(hashBytes("sha256", Buffer.from(text, "latin1")).bytes).toString("hex");
    return { digest, settled: this.newestChange + (this.coarse ? SETTLE_COARSE_MS : SETTLE_FINE_MS) < this.nowMs };
  }
}

/** Stamps the tree at `root` (a directory, not followed if it is a link); undefined if it is not a directory, too large or unreadable. */
export function stampTree(root: string, nowMs: number = Date.now()): TreeStamp | undefined {
  const stamper = new TreeStamper(nowMs);
  let entries = 0;
  const slash = Buffer.from("/");
  const visit = (p: Buffer, st: fs.Stats): boolean => {
    stamper.add(p, st);
    if (++entries > MAX_ENTRIES) return false;
    if (!st.isDirectory()) return true;
    const names = fs.readdirSync(p, { encoding: "buffer" }).sort(Buffer.compare);
    for (const name of names) {
      const child = Buffer.concat([p, slash, name]);
      if (!visit(child, fs.lstatSync(child))) return false;
    }
    return true;
  };
  try {
    const st = fs.lstatSync(root);
    if (!st.isDirectory()) return undefined;
    if (!visit(Buffer.from(root), st)) return undefined;
  } catch {
    return undefined;
  }
  return stamper.finish();
}
