// Lexical path canonicalisation, as Nix does for path values (no symlink resolution).

/** Removes `.`, `..` and repeated or trailing slashes from an absolute path. */
export function canonPath(path: string): string {
  if (path.indexOf("/.") === -1 && path.indexOf("//") === -1 && (path.length === 1 || !path.endsWith("/"))) return path;
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** The directory part of a path (`dirOf`): "/" for top-level entries, "." if there is none. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  if (i === -1) return ".";
  if (i === 0) return "/";
  return path.slice(0, i);
}
