// The error raised by the pure store formats (hashes, base-32, NAR, store paths, ATerm) when their
// input is malformed; `offset` is the byte position in the input when it is known.

export class FormatError extends Error {
  override readonly name = "FormatError";
  /** Byte offset into the parsed input where the problem was found, when meaningful. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(message);
    this.offset = offset;
  }
}
