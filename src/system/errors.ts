// Errors of the system layer (profiles, activation, containers): a message for the user and the
// exit status the command should end with.

export class SystemError extends Error {
  override readonly name: string = "SystemError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * A build that failed after printing why on stderr (as `tix build` does): commands end with its
 * status without a second message about it.
 */
export class ReportedBuildFailure extends SystemError {
  override readonly name: string = "ReportedBuildFailure";
  constructor(status: number) {
    super(`the build failed (exit status ${status})`, status);
  }
}
