// Unpacking archives (tar, possibly gzip/xz/bzip2/zstd-compressed, and zip) into a directory,
// detected by content; reports the newest modification time of the entries (an input's lastModified).

import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { gunzipSync, inflateRawSync } from "node:zlib";
import { FetchError } from "./errors.js";
import { withTemp } from "./util.js";

export interface UnpackResult {
  /** Newest modification time (seconds since the epoch) of any entry; 0 for an empty archive. */
  readonly lastModified: number;
}

type Compression = "gzip" | "xz" | "bzip2" | "zstd";
type Kind = Compression | "zip" | "tar";

/** Unpacks the archive `file` into the directory `dest` (created if needed). */
export function unpackArchive(file: string, dest: string): UnpackResult {
  fs.mkdirSync(dest, { recursive: true });
  const kind = detect(file);
  switch (kind) {
    case "tar":
      return extractTar(file, dest);
    case "zip":
      return extractZip(file, dest);
    case null:
      throw new FetchError(`file '${file}' is not a supported archive (tar, tar.gz, tar.xz, tar.bz2, tar.zst or zip)`);
    default:
      return withTemp("unpack", (tmp) => {
        const plain = path.join(tmp, "archive");
        decompress(kind, file, plain);
        const inner = detect(plain);
        if (inner !== "tar") throw new FetchError(`file '${file}' is a ${kind}-compressed file, but not a tar archive`);
        return extractTar(plain, dest);
      });
  }
}

function readHead(file: string, n: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

function detect(file: string): Kind | null {
  const h = readHead(file, 512);
  if (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b) return "gzip";
  if (h.length >= 6 && h.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  if (h.length >= 3 && h.toString("latin1", 0, 3) === "BZh") return "bzip2";
  if (h.length >= 4 && h.readUInt32LE(0) === 0xfd2fb528) return "zstd";
  if (h.length >= 4 && (h.readUInt32LE(0) === 0x04034b50 || h.readUInt32LE(0) === 0x06054b50)) return "zip";
  if (h.length === 0 || (h.length === 512 && (isZeroBlock(h) || checksumOk(h)))) return "tar";
  return null;
}

const TOOLS: Record<Compression, string> = { gzip: "gzip", xz: "xz", bzip2: "bzip2", zstd: "zstd" };

/** Decompresses `src` into the new file `dst` with the compressor's command-line tool. */
function decompress(kind: Compression, src: string, dst: string): void {
  const inFd = fs.openSync(src, "r");
  const outFd = fs.openSync(dst, "w");
  try {
    const r = spawnSync(TOOLS[kind], ["-dc"], { stdio: [inFd, outFd, "pipe"] });
    if (r.error !== undefined) {
      if ((r.error as NodeJS.ErrnoException).code === "ENOENT" && kind === "gzip") {
        fs.writeSync(outFd, gunzipSync(fs.readFileSync(src)));
        return;
      }
      throw new FetchError(`cannot decompress '${src}': ${(r.error as NodeJS.ErrnoException).code === "ENOENT" ? `'${TOOLS[kind]}' is not installed` : r.error.message}`);
    }
    if (r.status !== 0) throw new FetchError(`cannot decompress '${src}' (${kind}): ${r.stderr.toString().trim()}`);
  } finally {
    fs.closeSync(inFd);
    fs.closeSync(outFd);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing entries safely

/** Creates entries below `root`, refusing paths that leave it (`..`, through symlinks). */
class TreeWriter {
  lastModified = 0;
  constructor(private readonly root: string) {}

  /** Normalised components of an entry name, or null for the root itself. */
  private components(name: Buffer): Buffer[] | null {
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i <= name.length; i++) {
      if (i === name.length || name[i] === 0x2f) {
        const c = name.subarray(start, i);
        start = i + 1;
        if (c.length === 0 || (c.length === 1 && c[0] === 0x2e)) continue;
        if (c.length === 2 && c[0] === 0x2e && c[1] === 0x2e) {
          throw new FetchError(`archive entry '${name.toString()}' points outside the archive`);
        }
        parts.push(c);
      }
    }
    return parts.length === 0 ? null : parts;
  }

  /** The location of an entry, creating its parent directories. */
  private prepare(name: Buffer): Buffer | null {
    const parts = this.components(name);
    if (parts === null) return null;
    let cur = Buffer.from(this.root);
    for (let i = 0; i < parts.length; i++) {
      cur = Buffer.concat([cur, Buffer.from("/"), parts[i]]);
      if (i === parts.length - 1) break;
      let st: fs.Stats | null = null;
      try {
        st = fs.lstatSync(cur);
      } catch {
        st = null;
      }
      if (st === null) fs.mkdirSync(cur, { mode: 0o755 });
      else if (!st.isDirectory()) throw new FetchError(`archive entry '${name.toString()}' is below a non-directory`);
    }
    return cur;
  }

  /** Removes what is at `p` unless it is a directory and `keepDir`. */
  private clear(p: Buffer, keepDir: boolean): boolean {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return false;
    }
    if (st.isDirectory()) {
      if (keepDir) return true;
      fs.rmSync(p, { recursive: true, force: true });
    } else fs.unlinkSync(p);
    return false;
  }

  seen(mtime: number): void {
    if (mtime > this.lastModified) this.lastModified = mtime;
  }

  directory(name: Buffer, mtime: number): void {
    this.seen(mtime);
    const p = this.prepare(name);
    if (p === null) return;
    if (!this.clear(p, true)) fs.mkdirSync(p, { mode: 0o755 });
  }

  /** Creates a regular file, filling it through `fill(fd)`. */
  file(name: Buffer, executable: boolean, mtime: number, fill: (fd: number) => void): void {
    this.seen(mtime);
    const p = this.prepare(name);
    if (p === null) throw new FetchError("archive has a file entry for its root");
    this.clear(p, false);
    const fd = fs.openSync(p, "w", executable ? 0o755 : 0o644);
    try {
      fill(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(p, executable ? 0o755 : 0o644);
  }

  symlink(name: Buffer, target: Buffer, mtime: number): void {
    this.seen(mtime);
    const p = this.prepare(name);
    if (p === null) throw new FetchError("archive has a symlink entry for its root");
    this.clear(p, false);
    fs.symlinkSync(target, p);
  }

  hardlink(name: Buffer, target: Buffer, mtime: number): void {
    this.seen(mtime);
    const from = this.components(target);
    const p = this.prepare(name);
    if (p === null || from === null) throw new FetchError(`bad hard link '${name.toString()}' in archive`);
    // Walk the target without following symlinks, so a link cannot reach outside the tree.
    let src = Buffer.from(this.root);
    let st: fs.Stats | null = null;
    for (const c of from) {
      if (st !== null && !st.isDirectory()) st = null;
      else {
        src = Buffer.concat([src, Buffer.from("/"), c]);
        try {
          st = fs.lstatSync(src);
        } catch {
          st = null;
        }
      }
      if (st === null) throw new FetchError(`hard link '${name.toString()}' in archive points to missing '${target.toString()}'`);
    }
    if (st === null) throw new FetchError(`bad hard link '${name.toString()}' in archive`);
    if (st.isDirectory()) throw new FetchError(`hard link '${name.toString()}' in archive points to a directory`);
    if (src.equals(p)) return;
    this.clear(p, false);
    if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src, { encoding: "buffer" }), p);
    else fs.copyFileSync(src, p);
  }
}

// ---------------------------------------------------------------------------------------------
// tar (ustar, pax, GNU long names)

function isZeroBlock(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function checksumOk(h: Buffer): boolean {
  const want = parseNumber(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return want === sum;
}

/** An octal (or GNU base-256) numeric header field. */
function parseNumber(f: Buffer): number {
  if (f.length > 0 && (f[0] & 0x80) !== 0) {
    let n = f[0] & 0x7f;
    for (let i = 1; i < f.length; i++) n = n * 256 + f[i];
    return n;
  }
  const s = cString(f).toString("latin1").trim();
  if (s === "") return 0;
  if (!/^[0-7]+$/.test(s)) throw new FetchError(`corrupt tar archive (bad number '${s}')`);
  return parseInt(s, 8);
}

function cString(f: Buffer): Buffer {
  const nul = f.indexOf(0);
  return nul === -1 ? f : f.subarray(0, nul);
}

/** Reads a file sequentially. */
class FdReader {
  pos = 0;
  constructor(readonly fd: number) {}
  read(n: number): Buffer {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = fs.readSync(this.fd, buf, got, n - got, this.pos);
      if (r === 0) break;
      got += r;
      this.pos += r;
    }
    return got === n ? buf : buf.subarray(0, got);
  }
  exactly(n: number): Buffer {
    const b = this.read(n);
    if (b.length !== n) throw new FetchError("truncated tar archive");
    return b;
  }
  /** Copies `n` bytes to `out` (a file descriptor). */
  copy(n: number, out: number): void {
    const chunk = Buffer.allocUnsafe(Math.min(n, 1 << 20) || 1);
    let left = n;
    while (left > 0) {
      const r = fs.readSync(this.fd, chunk, 0, Math.min(left, chunk.length), this.pos);
      if (r === 0) throw new FetchError("truncated tar archive");
      fs.writeSync(out, chunk, 0, r);
      this.pos += r;
      left -= r;
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
}

function parsePax(data: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp === -1) break;
    const len = parseInt(data.toString("latin1", i, sp), 10);
    if (!(len > 0) || i + len > data.length) throw new FetchError("corrupt pax header in tar archive");
    const rec = data.subarray(sp + 1, i + len - 1); // without the trailing newline
    const eq = rec.indexOf(0x3d);
    if (eq !== -1) out.set(rec.toString("utf8", 0, eq), rec.subarray(eq + 1));
    i += len;
  }
  return out;
}

function extractTar(file: string, dest: string): UnpackResult {
  const fd = fs.openSync(file, "r");
  const w = new TreeWriter(dest);
  try {
    const r = new FdReader(fd);
    let pax = new Map<string, Buffer>();
    const globalPax = new Map<string, Buffer>();
    let longName: Buffer | null = null;
    let longLink: Buffer | null = null;
    for (;;) {
      const h = r.read(512);
      if (h.length === 0) break;
      if (h.length < 512) throw new FetchError("truncated tar archive");
      if (isZeroBlock(h)) break;
      if (!checksumOk(h)) throw new FetchError("corrupt tar archive (header checksum mismatch)");
      const type = h[156] === 0 ? "0" : String.fromCharCode(h[156]);
      let size = parseNumber(h.subarray(124, 136));
      const padded = (n: number): number => Math.ceil(n / 512) * 512;
      if (type === "x" || type === "g" || type === "L" || type === "K") {
        const data = r.exactly(size);
        r.skip(padded(size) - size);
        if (type === "x") pax = parsePax(data);
        else if (type === "g") for (const [k, v] of parsePax(data)) globalPax.set(k, v);
        else if (type === "L") longName = cString(data);
        else longLink = cString(data);
        continue;
      }
      const attr = (k: string): Buffer | undefined => pax.get(k) ?? globalPax.get(k);
      let name = longName ?? cString(h.subarray(0, 100));
      const magic = h.toString("latin1", 257, 263);
      if (longName === null && magic === "ustar\0") {
        const prefix = cString(h.subarray(345, 500));
        if (prefix.length > 0) name = Buffer.concat([prefix, Buffer.from("/"), name]);
      }
      const paxPath = attr("path");
      if (paxPath !== undefined) name = paxPath;
      let link = longLink ?? cString(h.subarray(157, 257));
      const paxLink = attr("linkpath");
      if (paxLink !== undefined) link = paxLink;
      const paxSize = attr("size");
      if (paxSize !== undefined) size = parseInt(paxSize.toString("latin1"), 10);
      const paxMtime = attr("mtime");
      const mtime = paxMtime !== undefined ? Math.floor(parseFloat(paxMtime.toString("latin1"))) : parseNumber(h.subarray(136, 148));
      const mode = parseNumber(h.subarray(100, 108));
      pax = new Map();
      longName = null;
      longLink = null;

      switch (type) {
        case "0":
        case "7":
          w.file(name, (mode & 0o100) !== 0, mtime, (out) => r.copy(size, out));
          r.skip(padded(size) - size);
          break;
        case "5":
          w.directory(name, mtime);
          r.skip(padded(size));
          break;
        case "2":
          w.symlink(name, link, mtime);
          r.skip(padded(size));
          break;
        case "1":
          w.hardlink(name, link, mtime);
          r.skip(padded(size));
          break;
        case "V":
          r.skip(padded(size));
          break;
        case "3":
        case "4":
        case "6":
          throw new FetchError(`file '${name.toString()}' in the archive has an unsupported type`);
        default:
          throw new FetchError(`tar entry '${name.toString()}' has unsupported type '${type}'`);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return { lastModified: w.lastModified };
}

// ---------------------------------------------------------------------------------------------
// zip

function readAt(fd: number, pos: number, n: number): Buffer {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const r = fs.readSync(fd, buf, got, n - got, pos + got);
    if (r === 0) throw new FetchError("truncated zip archive");
    got += r;
  }
  return buf;
}

/** DOS date and time fields, read as local time (as libarchive does). */
function dosTime(date: number, time: number): number {
  const d = new Date(1980 + (date >> 9), ((date >> 5) & 0xf) - 1, date & 0x1f, time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2);
  return Math.floor(d.getTime() / 1000);
}

function extractZip(file: string, dest: string): UnpackResult {
  const fd = fs.openSync(file, "r");
  const w = new TreeWriter(dest);
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 65557);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) throw new FetchError("corrupt zip archive (no end of central directory)");
    let count = tail.readUInt16LE(eocd + 10);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
      const z64 = readAt(fd, Number(tail.readBigUInt64LE(eocd - 20 + 8)), 56);
      if (z64.readUInt32LE(0) !== 0x06064b50) throw new FetchError("corrupt zip64 archive");
      count = Number(z64.readBigUInt64LE(32));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    let pos = cdOffset;
    for (let n = 0; n < count; n++) {
      const c = readAt(fd, pos, 46);
      if (c.readUInt32LE(0) !== 0x02014b50) throw new FetchError("corrupt zip archive (bad central directory)");
      const madeBy = c.readUInt16LE(4) >> 8;
      const flags = c.readUInt16LE(8);
      const method = c.readUInt16LE(10);
      let mtime = dosTime(c.readUInt16LE(14), c.readUInt16LE(12));
      let csize = c.readUInt32LE(20);
      let usize = c.readUInt32LE(24);
      const nameLen = c.readUInt16LE(28);
      const extraLen = c.readUInt16LE(30);
      const commentLen = c.readUInt16LE(32);
      const external = c.readUInt32LE(38);
      let local = c.readUInt32LE(42);
      const rest = readAt(fd, pos + 46, nameLen + extraLen);
      const name = rest.subarray(0, nameLen);
      const extra = rest.subarray(nameLen);
      for (let i = 0; i + 4 <= extra.length; ) {
        const id = extra.readUInt16LE(i);
        const len = extra.readUInt16LE(i + 2);
        const body = extra.subarray(i + 4, i + 4 + len);
        if (id === 0x0001) {
          let j = 0;
          if (usize === 0xffffffff && j + 8 <= body.length) (usize = Number(body.readBigUInt64LE(j))), (j += 8);
          if (csize === 0xffffffff && j + 8 <= body.length) (csize = Number(body.readBigUInt64LE(j))), (j += 8);
          if (local === 0xffffffff && j + 8 <= body.length) local = Number(body.readBigUInt64LE(j));
        } else if (id === 0x5455 && body.length >= 5 && (body[0] & 1) !== 0) {
          mtime = body.readInt32LE(1);
        }
        i += 4 + len;
      }
      pos += 46 + nameLen + extraLen + commentLen;
      if ((flags & 1) !== 0) throw new FetchError(`zip entry '${name.toString()}' is encrypted`);
      const mode = madeBy === 3 ? external >>> 16 : 0;
      const fmt = mode & 0o170000;
      const isDir = fmt === 0o040000 || (fmt === 0 && name.length > 0 && name[name.length - 1] === 0x2f);
      if (isDir) {
        w.directory(name, mtime);
        continue;
      }
      const lh = readAt(fd, local, 30);
      if (lh.readUInt32LE(0) !== 0x04034b50) throw new FetchError("corrupt zip archive (bad local header)");
      const dataPos = local + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      const raw = readAt(fd, dataPos, csize);
      let data: Buffer;
      if (method === 0) data = raw;
      else if (method === 8) data = inflateRawSync(raw);
      else throw new FetchError(`zip entry '${name.toString()}' uses unsupported compression method ${method}`);
      if (data.length !== usize) throw new FetchError(`zip entry '${name.toString()}' has the wrong size`);
      if (fmt === 0o120000) w.symlink(name, data, mtime);
      else w.file(name, (mode & 0o100) !== 0, mtime, (out) => fs.writeSync(out, data));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { lastModified: w.lastModified };
}
