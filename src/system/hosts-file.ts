// The entries tix keeps in a hosts file so that a running container's name resolves on the host
// (`curl http://NAME/`), standing in for systemd's nss-mymachines. Each entry is one line
// `ADDRESS NAME # tix-container NAME`; the marker is how tix finds its own lines again, and
// everything else in the file is left as it was.

import * as fs from "node:fs";
import * as path from "node:path";
import { withLock } from "../store/lock.js";

const MARK = "# tix-container";

/**
 * Every edit holds this lock file (tix's lock format, "tix PID"): containers started or stopped
 * at the same time, and their exit monitors, each rewrite the whole file, and would otherwise
 * lose each other's changes.
 */
function hostsLockFile(file: string): string {
  return `${file}.tix-lock`;
}

function editLocked(file: string, edit: () => void): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  withLock(hostsLockFile(file), edit);
}

/**
 * sh that removes container $TIX_CONTAINER's entry from $TIX_HOSTS_FILE under the same lock (the
 * exit monitor of a container runs it when the container ends by itself).
 */
export const REMOVE_ENTRY_SH = `if [ -f "$TIX_HOSTS_FILE" ]; then
  hosts_lock="$TIX_HOSTS_FILE.tix-lock"
  held=
  tries=0
  while [ $tries -lt 3000 ]; do
    if (set -C; echo "tix $$" > "$hosts_lock") 2> /dev/null; then held=1; break; fi
    # A lock whose owner died is stale; one just made may be a new owner's (the dead one
    # released it and someone took it since the read), so only an old file is removed.
    owner=$(sed -n 's/^tix \\([0-9][0-9]*\\)$/\\1/p' "$hosts_lock" 2> /dev/null)
    if [ -n "$owner" ] && ! kill -0 "$owner" 2> /dev/null; then
      made=$(stat -c %Y "$hosts_lock" 2> /dev/null) || made=
      if [ -n "$made" ] && [ $(($(date +%s) - made)) -ge 5 ]; then rm -f "$hosts_lock"; fi
    fi
    tries=$((tries + 1))
    sleep 0.01
  done
  # Looked at only under the lock: another writer may be halfway through rewriting the file.
  if grep -q "${MARK} $TIX_CONTAINER\\$" "$TIX_HOSTS_FILE"; then
    grep -v "${MARK} $TIX_CONTAINER\\$" "$TIX_HOSTS_FILE" > "$TIX_HOSTS_FILE.tix-tmp.$$"
    cat "$TIX_HOSTS_FILE.tix-tmp.$$" > "$TIX_HOSTS_FILE"
    rm -f "$TIX_HOSTS_FILE.tix-tmp.$$"
  fi
  [ -z "$held" ] || rm -f "$hosts_lock"
fi
`;

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
  editLocked(file, () => {
    const lines = readLines(file).filter((l) => entryName(l) !== name);
    lines.push(`${address}\t${name}\t${MARK} ${name}`);
    writeLines(file, lines);
  });
}

/** Removes the entry for container `name`, if any. */
export function removeHostsEntry(file: string, name: string): void {
  if (!fs.existsSync(file)) return;
  editLocked(file, () => {
    const lines = readLines(file);
    const kept = lines.filter((l) => entryName(l) !== name);
    if (kept.length !== lines.length) writeLines(file, kept);
  });
}
