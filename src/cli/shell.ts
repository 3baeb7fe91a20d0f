// `tix shell INSTALLABLES… [-c CMD ARGS…]` (like `nix shell`): builds the installables, then runs
// CMD (default $SHELL, else bash, as Nix) with each one's OUT/bin in front of PATH.
import * as fs from "node:fs";
import { buildRequestsOf, resolveCommandInstallables } from "./build.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { writeOut } from "./output.js";
import { buildAndRun, emptyRunOptions, parseRunBuildFlag, type RunOptions } from "./run.js";
import type { LocalStore } from "../store/local-store.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix shell [OPTIONS] [INSTALLABLES...] [-c CMD ARGS...]

Builds the installables (default: .), then runs CMD (default: $SHELL, else bash) with the bin
directory of each one's outputs (meta.outputsToInstall, or ^OUTPUTS) and of the packages
they list in nix-support/propagated-user-env-packages in front of PATH.
Installables are as for tix build: FLAKEREF#NAME (packages.<system>.NAME,
legacyPackages.<system>.NAME, NAME), store paths, -f FILE / --expr EXPR attribute paths.

Options:
  -c, --command CMD ARGS...  the command to run (the rest of the arguments)
  --store DIR                use the chroot store rooted at DIR (the command runs where
                             DIR/nix/store is seen at /nix/store)
  --impure, --override-input INPUT FLAKEREF, -f FILE, --expr EXPR, --arg NAME EXPR, ...
                             as for tix build
  -j, --max-jobs N, --cores N, -k, -K, -L, --option NAME VALUE
                             build settings, as for tix build
`;

function parseShellArgs(argv: string[]): RunOptions | null {
  const o = emptyRunOptions();
  let help = false;
  walkArgs(argv, NIX_STYLE, (a, { value: next, rest }) => {
    switch (a) {
      case "--help": help = true; rest(); return;
      case "-c": case "--command": {
        const cmd = rest();
        if (cmd.length === 0) throw new UsageError(`flag '${a}' requires a command`);
        o.command = cmd;
        return;
      }
    }
    if (parseRunBuildFlag(o, a, next)) return;
    if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
    o.installables.push(a);
  });
  return help ? null : o;
}

/**
 * The bin directories to put on PATH, as modern Nix orders them: the outputs as a sorted set, each
 * followed (breadth first) by the packages its `nix-support/propagated-user-env-packages` names.
 */
export function binDirectories(store: LocalStore, outputs: readonly string[]): string[] {
  const todo = [...new Set(outputs)].sort();
  const done = new Set<string>();
  const dirs: string[] = [];
  while (todo.length > 0) {
    const p = todo.shift()!;
    if (done.has(p)) continue;
    done.add(p);
    dirs.push(`${p}/bin`);
    const propagated = store.toPhysical(`${p}/nix-support/propagated-user-env-packages`);
    if (fs.existsSync(propagated)) {
      for (const q of fs.readFileSync(propagated, "utf8").split(/\s+/)) if (q.startsWith(store.storeDir + "/")) todo.push(q);
    }
  }
  return dirs;
}

/** `tix shell ARGS…`. */
export async function runShell(argv: string[]): Promise<number> {
  const o = parseShellArgs(argv);
  if (o === null) {
    writeOut(HELP);
    return 0;
  }
  return buildAndRun(o, async (store, build) => {
    const resolved = resolveCommandInstallables(store, o);
    const outcomes = await build(buildRequestsOf(resolved));
    if (outcomes === null) return 1;
    const paths: string[] = [];
    for (const r of resolved) if (r.kind === "opaque") paths.push(r.ref.path);
    for (const { outputs } of outcomes) paths.push(...outputs.values());
    const oldPath = process.env["PATH"];
    const PATH = [...binDirectories(store, paths), ...(oldPath ? [oldPath] : [])].join(":");
    return { argv: o.command ?? [process.env["SHELL"] || "bash"], env: { ...process.env, PATH } };
  });
}
