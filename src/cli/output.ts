// Writing byte strings (one char per byte) to stdout/stderr.
export function writeOut(s: string): void {
  process.stdout.write(Buffer.from(s, "latin1"));
}

export function writeErr(s: string): void {
  process.stderr.write(Buffer.from(s, "latin1"));
}

/** Converts a process argument (UTF-8) to a byte string. */
export function argBytes(s: string): string {
  return Buffer.from(s, "utf8").toString("latin1");
}
