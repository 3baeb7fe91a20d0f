// The error raised by the pure flake formats (flake references, lock files, registries) when their
// input is malformed or unsupported; the message is the one the user sees, in Nix's wording.

export class FlakeError extends Error {
  override readonly name: string = "FlakeError";
}

/** A flake reference (URL or attribute set) that cannot be parsed or is unsupported. */
export class BadFlakeRef extends FlakeError {
  override readonly name = "BadFlakeRef";
}

/** A flake.lock file that cannot be read (corrupt JSON, unsupported version, dangling node, …). */
export class LockFileError extends FlakeError {
  override readonly name = "LockFileError";
}

/** A flake registry file that cannot be read, or a lookup that fails. */
export class RegistryError extends FlakeError {
  override readonly name = "RegistryError";
}
