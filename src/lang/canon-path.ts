// Lexical path normalisation for path literals: absolute, no `.`/`..` components, no repeated
// or trailing slashes (no symlinks are looked at).

/** Canonicalises an absolute path lexically (`/a/./b/../c//d/` → `/a/c/d`). */
export function canonPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/** Makes a path literal absolute against `baseDir` and canonicalises it. */
export function absPath(path: string, baseDir: string): string {
  return canonPath(path.charCodeAt(0) === 0x2f ? path : baseDir + "/" + path);
}
