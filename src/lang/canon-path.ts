// Lexical path normalisation for path literals: absolute, no `.`/`..` components, no repeated
// or trailing slashes (no symlinks are looked at).

/** Canonicalises an absolute path lexically (`/a/./b/../c//d/` → `/a/c/d`). */
export function canonPath(path: string): string {
  if (isCanonical(path)) return path;
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

/** Whether an absolute path has no empty, `.` or `..` components and no trailing slash. */
function isCanonical(path: string): boolean {
  if (path.charCodeAt(0) !== 0x2f) return false;
  if (path.length === 1) return true;
  let segmentStart = 1;
  for (let i = 1; i <= path.length; i++) {
    if (i < path.length && path.charCodeAt(i) !== 0x2f) continue;
    const len = i - segmentStart;
    if (len === 0) return false;
    if (path.charCodeAt(segmentStart) === 0x2e && (len === 1 || (len === 2 && path.charCodeAt(segmentStart + 1) === 0x2e))) return false;
    segmentStart = i + 1;
  }
  return true;
}
