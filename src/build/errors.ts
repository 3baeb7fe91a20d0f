// Build failures: a message worded as Nix words it, plus the exit status nix-build would use
// (100 build failed, 102 hash mismatch, 104 not deterministic).

export class BuildError extends Error {
  override readonly name = "BuildError";
  constructor(
    message: string,
    /** nix-build's exit status for this kind of failure. */
    readonly status = 100,
  ) {
    super(message);
  }
}

/** A build that was stopped because another one failed (or the user interrupted): not reported. */
export class BuildCancelled extends Error {
  override readonly name = "BuildCancelled";
  constructor() {
    super("build cancelled");
  }
}

/** Nix's error layout: continuation lines of a multi-line message are indented by 7 spaces. */
export function formatErrorMessage(message: string, prefix = "error: "): string {
  return prefix + message.split("\n").join("\n       ") + "\n";
}
