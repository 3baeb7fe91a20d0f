// Writing byte strings (one char per byte) to stdout/stderr.
import { writeSync } from "node:fs";

/**
 * Writes go straight to the file descriptor: creating `process.stdout` loads Node's whole stream
 * library, a fifth of the start-up of a short `tix instantiate --eval`. Node's stdout/stderr are
 * synchronous for files, pipes and terminals on Linux, so mixing both keeps the order. If a
 * direct write fails (a non-blocking descriptor, a closed pipe), that descriptor switches to
 * the stream for good, which handles it as before.
 */
const viaStream = [false, false, false];

/** Everything written while a recording is on (see recordWrites), in order. */
let recording: [1 | 2, string][] | null = null;

/**
 * Starts keeping a copy of every write (descriptor and byte string) until the returned function
 * is called, which gives them: what a command printed, to print it again later.
 */
export function recordWrites(): () => [1 | 2, string][] {
  const writes: [1 | 2, string][] = [];
  recording = writes;
  return () => {
    if (recording === writes) recording = null;
    return writes;
  };
}

function writeFd(fd: 1 | 2, buf: Buffer): void {
  if (!viaStream[fd]) {
    let off = 0;
    try {
      while (off < buf.length) off += writeSync(fd, buf, off);
      return;
    } catch (e) {
      if (isBrokenPipe(e)) exitOnBrokenPipe();
      if (isLostWrite(e)) return lostWrite(fd, e);
      viaStream[fd] = true;
      buf = buf.subarray(off);
    }
  }
  const stream = fd === 1 ? process.stdout : process.stderr;
  if (stream.listenerCount("error") === 0) {
    stream.on("error", (e) => {
      if (isBrokenPipe(e)) exitOnBrokenPipe();
      if (isLostWrite(e)) return lostWrite(fd, e);
      throw e;
    });
  }
  stream.write(buf);
}

function isBrokenPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/** The reader went away (`tix … | head`): stop quietly, with the status a SIGPIPE death gives. */
function exitOnBrokenPipe(): never {
  process.exit(141);
}

/** Errors after which the output is incomplete for good: a full disk or quota, a failing device. */
function isLostWrite(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" || code === "EFBIG" || code === "EIO";
}

/**
 * Output that cannot be written: the command's answer is lost, so it ends with status 1 and says
 * why on stderr (not with a JavaScript stack trace); messages lost on stderr are dropped.
 */
function lostWrite(fd: 1 | 2, e: unknown): void {
  if (fd === 2) return;
  try {
    writeSync(2, `error: cannot write to standard output: ${(e as Error).message}\n`);
  } catch {}
  process.exit(1);
}

export function writeOut(s: string): void {
  recording?.push([1, s]);
  writeFd(1, Buffer.from(s, "latin1"));
}

export function writeErr(s: string): void {
  recording?.push([2, s]);
  writeFd(2, Buffer.from(s, "latin1"));
}

/** Converts a process argument (UTF-8) to a byte string. */
export function argBytes(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}
