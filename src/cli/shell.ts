// `tix shell INSTALLABLES… [-c CMD ARGS…]` (like `nix shell`): builds the installables, then runs
// CMD (default $SHELL, else sh) with each one's OUT/bin in front of PATH.
import { BuildError, Scheduler, formatErrorMessage, type BuildRequest } from "../build/index.js";
import { autoArgsFor, buildInterruptibly, buildSettingsFrom, stderrReporter } from "./build.js";
import { makeEvaluator } from "./eval-setup.js";
import { execInStore } from "./exec-in-store.js";
import { resolveInstallables } from "./installables.js";
import { NIX_STYLE, walkArgs } from "./args.js";
import { writeErr, writeOut } from "./output.js";
import { emptyRunOptions, parseRunBuildFlag, type RunOptions } from "./run.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix shell [OPTIONS] [INSTALLABLES...] [-c CMD ARGS...]

Builds the installables (default: .), then runs CMD (default: $SHELL, else sh) with the bin
directory of each one's outputs (meta.outputsToInstall, or ^OUTPUTS) in front of PATH.
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

/** `tix shell ARGS…`. */
export async function runShell(argv: string[]): Promise<number> {
  const o = parseShellArgs(argv);
  if (o === null) {
    writeOut(HELP);
    return 0;
  }
  const settings = buildSettingsFrom(o);
  const store = openLocalStoreFromOption(o.storeRoot);
  try {
    let evaluator: ReturnType<typeof makeEvaluator> | null = null;
    const ev = (): ReturnType<typeof makeEvaluator> => (evaluator ??= makeEvaluator({ includes: o.includes, pure: false, store }));
    const resolved = resolveInstallables(ev, store, o, () => autoArgsFor(ev(), o.args));
    const requests: BuildRequest[] = [];
    for (const r of resolved) if (r.kind === "drv") requests.push({ drvPath: r.ref.drvPath, outputs: r.ref.outputs });
    const scheduler = new Scheduler({ store, settings, reporter: stderrReporter(settings), mode: "normal" });
    let built: Map<string, string>[];
    try {
      built = (await buildInterruptibly(scheduler, requests)).map((b) => b.outputs);
    } catch (e) {
      if (e instanceof BuildError) {
        writeErr(formatErrorMessage(e.message));
        return 1;
      }
      throw e;
    }
    // In the order given: the first installable's programs win.
    const paths: string[] = [];
    let next = 0;
    for (const r of resolved) {
      if (r.kind === "opaque") paths.push(r.ref.path);
      else paths.push(...[...built[next++]!].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, p]) => p));
    }
    const oldPath = process.env["PATH"];
    const PATH = [...new Set(paths.map((p) => `${p}/bin`)), ...(oldPath ? [oldPath] : [])].join(":");
    const command = o.command ?? [process.env["SHELL"] || "sh"];
    return await execInStore(store, command, { ...process.env, PATH });
  } finally {
    store.close();
  }
}
