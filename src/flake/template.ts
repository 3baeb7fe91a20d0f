// `flake init`/`flake new`: copying a template's files into a directory without overwriting the
// user's files (identical files are left alone, different ones are conflicts), then `git add`.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface CopyResult {
  /** Files and links written (absolute paths). */
  readonly written: string[];
  /** Existing files whose contents differ from the template's: [target, template source]. */
  readonly conflicts: [string, string][];
  /** Every file in the order visited, with what happened to it (Nix reports them in this order). */
  readonly events: CopyEvent[];
}

export interface CopyEvent {
  /** Written; already there with the same contents (left alone); there with other contents. */
  readonly kind: "wrote" | "identical" | "conflict";
  /** The target file. */
  readonly file: string;
  /** The template's file. */
  readonly from: string;
}

/** Copies the tree at `from` (physical) into `to`, never replacing an existing different file. */
export function copyTemplate(from: string, to: string): CopyResult {
  const written: string[] = [];
  const conflicts: [string, string][] = [];
  const events: CopyEvent[] = [];
  const copyDir = (src: string, dst: string): void => {
    fs.mkdirSync(dst, { recursive: true });
    for (const name of fs.readdirSync(src).sort()) {
      const s = path.join(src, name);
      const d = path.join(dst, name);
      const st = fs.lstatSync(s);
      if (st.isDirectory()) {
        copyDir(s, d);
      } else if (st.isFile()) {
        const contents = fs.readFileSync(s);
        if (fs.existsSync(d)) {
          const same = fs.readFileSync(d).equals(contents);
          if (!same) conflicts.push([d, s]);
          events.push({ kind: same ? "identical" : "conflict", file: d, from: s });
          continue;
        }
        fs.writeFileSync(d, contents, { mode: st.mode & 0o111 ? 0o755 : 0o644 });
        written.push(d);
        events.push({ kind: "wrote", file: d, from: s });
      } else if (st.isSymbolicLink()) {
        const target = fs.readlinkSync(s);
        let existing: string | undefined;
        try {
          existing = fs.readlinkSync(d);
        } catch {
          existing = undefined;
        }
        if (existing !== undefined || fs.existsSync(d)) {
          if (existing !== target) conflicts.push([d, s]);
          events.push({ kind: existing === target ? "identical" : "conflict", file: d, from: s });
          continue;
        }
        fs.symlinkSync(target, d);
        written.push(d);
        events.push({ kind: "wrote", file: d, from: s });
      }
    }
  };
  copyDir(from, to);
  return { written, conflicts, events };
}

/** `git add --intent-to-add --force` the new files when `dir` is inside a Git work tree. */
export function gitAddIntent(dir: string, files: readonly string[]): void {
  if (files.length === 0) return;
  const inside = spawnSync("git", ["-C", dir, "rev-parse", "--is-inside-work-tree"], { encoding: "utf8" });
  if (inside.status !== 0 || inside.stdout.trim() !== "true") return;
  spawnSync("git", ["-C", dir, "add", "--intent-to-add", "--force", "--", ...files], { encoding: "utf8" });
}
