// `tix log`: prints the stored build log of a derivation, given as an installable, a .drv path or
// one of its outputs (like `nix log`).
import { readBuildLog } from "../build/logs.js";
import { resolveCommandInstallables } from "./build.js";
import { emptyInstallableOptions, parseInstallableFlag } from "./installables.js";
import { SEPARATE_VALUES_STYLE, walkArgs } from "./args.js";
import { writeErr, writeOut } from "./output.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix log [OPTIONS] INSTALLABLE

Prints the stored build log of a derivation (like nix log): the installable may be a flake
output, a .drv path or one of its outputs.

Options:
  --store DIR       the chroot store whose logs to read
  -f, --file FILE, --expr EXPR, -A ATTR, --arg NAME EXPR, --argstr NAME STRING, -I PATH
                    installables from a file or an expression instead of a flake
`;

export function runLog(argv: string[]): number {
  if (argv.includes("--help")) {
    writeOut(HELP);
    return 0;
  }
  const o = emptyInstallableOptions();
  walkArgs(argv, SEPARATE_VALUES_STYLE, (a, { value: next }) => {
    if (parseInstallableFlag(o, a, next)) return;
    if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
    o.installables.push(a);
  });
  if (o.installables.length === 0 && o.attrs.length === 0 && o.file === null && o.expr === null) throw new UsageError("'tix log' needs an installable");
  const store = openLocalStoreFromOption(o.storeRoot);
  try {
    const resolved = resolveCommandInstallables(store, o);
    for (const r of resolved) {
      const what = r.ref.what === "" ? (r.kind === "drv" ? r.ref.drvPath : r.ref.path) : r.ref.what;
      const candidates: string[] = [];
      if (r.kind === "drv") candidates.push(r.ref.drvPath);
      else {
        const deriver = store.queryPathInfo(r.ref.path)?.deriver;
        if (deriver) candidates.push(deriver);
        candidates.push(...store.queryValidDerivers(r.ref.path));
      }
      let log: Buffer | null = null;
      for (const c of candidates) {
        log = readBuildLog(store, c);
        if (log !== null) break;
      }
      if (log === null) throw new Error(`build log of '${what}' is not available`);
      writeErr(`got build log for '${what}' from 'local'\n`);
      process.stdout.write(log);
    }
    return 0;
  } finally {
    store.close();
  }
}
