// Errors of the store layer: what went wrong with a store operation, for the CLI to print.
export class StoreError extends Error {}

/** The C library's wording (strerror) for a Node file-system error, e.g. "File name too long". */
export function errnoText(err: NodeJS.ErrnoException): string {
  const messages: Record<string, string> = {
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
  };
  return messages[err.code!] ?? err.code!;
}
