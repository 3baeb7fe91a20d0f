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
