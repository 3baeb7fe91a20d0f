// Bare-path checks (flake-ref.ts's PathProbe) against the real file system, and a probe that
// remembers its answers: how a bare path such as `.` parses depends on what exists around it
// (flake.nix further up, a .git directory), so a remembered answer to `flake show .` is only
// valid while every one of those questions gets the same answer.

import * as fs from "node:fs";
import type { PathProbe } from "./flake-ref.js";

type Kind = "directory" | "other" | undefined;

function kindOf(p: string): Kind {
  try {
    return fs.lstatSync(p).isDirectory() ? "directory" : "other";
  } catch {
    return undefined;
  }
}

export const fsProbe: PathProbe = {
  kind: kindOf,
  device(p) {
    return fs.lstatSync(p).dev;
  },
};

/** One question a probe answered: the kind of `path` (null: missing), or its device. */
export type ProbeAnswer =
  | { readonly path: string; readonly kind: "directory" | "other" | null }
  | { readonly path: string; readonly device: number };

/** fsProbe, keeping every answer it gave (in order). */
export class RecordingProbe implements PathProbe {
  readonly answers: ProbeAnswer[] = [];

  kind(p: string): Kind {
    const kind = kindOf(p);
    this.answers.push({ path: p, kind: kind ?? null });
    return kind;
  }

  device(p: string): number {
    const device = fs.lstatSync(p).dev;
    this.answers.push({ path: p, device });
    return device;
  }
}

/** Whether the file system still gives every one of `answers` (false on anything unexpected). */
export function stillAnswers(answers: readonly ProbeAnswer[]): boolean {
  for (const a of answers) {
    if ("kind" in a) {
      if ((kindOf(a.path) ?? null) !== a.kind) return false;
    } else {
      try {
        if (fs.lstatSync(a.path).dev !== a.device) return false;
      } catch {
        return false;
      }
    }
  }
  return true;
}
