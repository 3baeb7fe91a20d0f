// The entries tix keeps in a hosts file so that a running container's name resolves on the host
// (`curl http://NAME/`), standing in for systemd's nss-mymachines. Each entry is one line
// `ADDRESS NAME # tix-container NAME`; the marker is how tix finds its own lines again, and
// everything else in the file is left as it was.

import * as fs from "node:fs";
import * as path from "node:path";

const MARK = "# tix-container";

function entryName(line: string): string | null {
  const i = line.indexOf(MARK + " ");
  if (i < 0) return null;
  return line.slice(i + MARK.length + 1).trim();
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Rewrites the file in place (it may be a bind mount, which a rename would not replace). */
function writeLines(file: string, lines: readonly string[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.map((l) => l + "\n").join(""));
}

/** tix's entries in the file: container name → address. */
export function hostsEntries(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readLines(file)) {
    const name = entryName(line);
    if (name !== null) out.set(name, line.split(/\s+/)[0]!);
  }
  return out;
}

/** Adds (or replaces) the entry for container `name`. */
export function setHostsEntry(file: string, name: string, address: string): void {
  const lines = readLines(file).filter((l) => entryName(l) !== name);
  lines.push(`${address}\t${name}\t${MARK} ${name}`);
  writeLines(file, lines);
}

/** Removes the entry for container `name`, if any. */
export function removeHostsEntry(file: string, name: string): void {
  const lines = readLines(file);
  const kept = lines.filter((l) => entryName(l) !== name);
  if (kept.length !== lines.length) writeLines(file, kept);
}
