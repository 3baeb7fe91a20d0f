// `flake init`/`flake new`: copying a template's files into a directory without overwriting the
// user's files (identical files are left alone, different ones are conflicts), then `git add`.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** What copying did to one entry, in the order Nix reports it. */
export type CopyEvent =
  | { readonly kind: "wrote"; readonly path: string }
  | { readonly kind: "conflict"; readonly path: string; readonly from: string }
  | { readonly kind: "identical"; readonly path: string; readonly from: string };

/** Files, links and directories written (absolute paths; a directory after its contents). */
export function writtenPaths(events: readonly CopyEvent[]): string[] {
  return events.flatMap((e) => (e.kind === "wrote" ? [e.path] : []));
}

/**
 * Copies the tree at `from` (physical) into `to`, never replacing an existing different file
 * (a "conflict"); returns what happened to each entry.
 */
export function copyTemplate(from: string, to: string): CopyEvent[] {
  const events: CopyEvent[] = [];
  const wrote = (d: string): void => void events.push({ kind: "wrote", path: d });
  const conflict = (d: string, s: string): void => void events.push({ kind: "conflict", path: d, from: s });
  const copyDir = (src: string, dst: string): void => {
    fs.mkdirSync(dst, { recursive: true });
    for (const name of fs.readdirSync(src).sort()) {
      const s = path.join(src, name);
      const d = path.join(dst, name);
      const st = fs.lstatSync(s);
      if (st.isDirectory()) {
        // Nix reports a directory as written (after its contents) even when it existed.
        copyDir(s, d);
        wrote(d);
      } else if (st.isFile()) {
        const contents = fs.readFileSync(s);
        if (fs.existsSync(d)) {
          if (!fs.readFileSync(d).equals(contents)) conflict(d, s);
          else events.push({ kind: "identical", path: d, from: s });
          continue;
        }
        fs.writeFileSync(d, contents, { mode: st.mode & 0o111 ? 0o755 : 0o644 });
        wrote(d);
      } else if (st.isSymbolicLink()) {
        const target = fs.readlinkSync(s);
        let existing: string | undefined;
        try {
          existing = fs.readlinkSync(d);
        } catch {
          existing = undefined;
        }
        if (existing !== undefined || fs.existsSync(d)) {
          if (existing !== target) conflict(d, s);
          else events.push({ kind: "identical", path: d, from: s });
          continue;
        }
        fs.symlinkSync(target, d);
        wrote(d);
      }
    }
  };
  copyDir(from, to);
  return events;
}

/**
 * `git add --intent-to-add --force` the new files when `dir` is the top of a Git work tree (has
 * `.git`), as Nix does; a repository further up is left alone.
 */
export function gitAddIntent(dir: string, files: readonly string[]): void {
  if (files.length === 0 || !fs.existsSync(path.join(dir, ".git"))) return;
  spawnSync("git", ["-C", dir, "add", "--intent-to-add", "--force", "--", ...files], { encoding: "utf8" });
}
