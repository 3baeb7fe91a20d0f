// Turns Node's file-system errors (`ENOENT: no such file or directory, scandir '/x'`) into the
// messages Nix prints for the same failure (`opening directory '/x': No such file or directory`).
import { EvalError } from "./errors.js";

/** The C library's wording (strerror) for the errno codes file access commonly meets. */
const STRERROR: Record<string, string> = {
  ENOENT: "No such file or directory",
  EACCES: "Permission denied",
  EPERM: "Operation not permitted",
  ENOTDIR: "Not a directory",
  EISDIR: "Is a directory",
  EEXIST: "File exists",
  ELOOP: "Too many levels of symbolic links",
  ENAMETOOLONG: "File name too long",
  ENOSPC: "No space left on device",
  EDQUOT: "Disk quota exceeded",
  EROFS: "Read-only file system",
  EIO: "Input/output error",
  EMFILE: "Too many open files",
};

/** The strerror text for a Node error, falling back to Node's own message. */
export function describeErrno(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code && STRERROR[e.code]) return STRERROR[e.code]!;
  if (e?.code) return e.code;
  return String((err as Error)?.message ?? err);
}

/**
 * Runs a file-system call; a Node error becomes an EvalError `ACTION 'PATH': strerror`, the way
 * Nix words a failed system call (`action` is e.g. "opening file").
 */
export function withOsErrors<T>(action: string, path: string, call: () => T): T {
  try {
    return call();
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === undefined || err instanceof EvalError) throw err;
    throw new EvalError(`${action} '${path}': ${describeErrno(err)}`);
  }
}
