// Accumulates a byte string (one char per byte, as the evaluator's strings are) in a growable
// buffer. Serialisers (toJSON, toXML) write millions of small pieces; this is several times
// cheaper than collecting them in an array and joining.

export class ByteWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialSize = 4096) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Appends `s`; every char must be a byte (0–255). */
  write(s: string): void {
    const l = s.length;
    if (this.len + l > this.buf.length) this.grow(l);
    if (l < 16) {
      const b = this.buf;
      let n = this.len;
      for (let i = 0; i < l; i++) b[n++] = s.charCodeAt(i);
      this.len = n;
    } else {
      this.len += this.buf.write(s, this.len, "latin1");
    }
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  get length(): number {
    return this.len;
  }

  toString(): string {
    return this.buf.toString("latin1", 0, this.len);
  }
}
