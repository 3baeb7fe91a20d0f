// Errors raised by the fetchers: an input that cannot be fetched, a download that failed, a hash that
// does not match. Messages follow Nix's wording.

export class FetchError extends Error {
  override readonly name: string = "FetchError";
}

/** A fetched tree whose NAR hash differs from the one the input was locked to. */
export class NarHashMismatch extends FetchError {
  override readonly name = "NarHashMismatch";
  constructor(
    readonly input: string,
    readonly expected: string,
    readonly got: string,
  ) {
    super(`NAR hash mismatch in input '${input}', expected '${expected}' but got '${got}'`);
  }
}
