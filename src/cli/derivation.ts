// `tix derivation show`: prints store derivations as JSON, like modern `nix derivation show`
// (installables are evaluated first; `-r` adds the derivations they depend on).
import { parseDerivation, showDerivationsJson, type Derivation } from "../store/index.js";
import { drvName } from "../build/build-derivation.js";
import { resolveCommandInstallables } from "./build.js";
import { emptyInstallableOptions, parseInstallableFlag } from "./installables.js";
import { SEPARATE_VALUES_STYLE, walkArgs } from "./args.js";
import { writeOut } from "./output.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix derivation show [OPTIONS] [INSTALLABLES...]

Prints the store derivations of the installables as JSON (like nix derivation show): each output,
input derivation and source, the builder, its arguments and environment.

Options:
  -r, --recursive   also the derivations they depend on
  --store DIR       the chroot store to read (and evaluate into)
  -f, --file FILE, --expr EXPR, -A ATTR, --arg NAME EXPR, --argstr NAME STRING, -I PATH
                    installables from a file or an expression instead of a flake
`;

export function runDerivation(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === "--help" || (sub === "show" && rest.includes("--help"))) {
    writeOut(HELP);
    return 0;
  }
  if (sub !== "show") throw new UsageError(sub === undefined ? "'tix derivation' needs a subcommand ('show')" : `'derivation ${sub}' is not a recognised command`);
  const o = emptyInstallableOptions();
  let recursive = false;
  walkArgs(rest, SEPARATE_VALUES_STYLE, (a, { value: next }) => {
    if (parseInstallableFlag(o, a, next)) return;
    if (a === "-r" || a === "--recursive") recursive = true;
    else if (a.startsWith("-") && a !== "-") throw new UsageError(`unrecognised flag '${a}'`);
    else o.installables.push(a);
  });
  const store = openLocalStoreFromOption(o.storeRoot);
  try {
    const resolved = resolveCommandInstallables(store, o);
    const drvs = new Map<string, Derivation>();
    const todo: string[] = [];
    for (const r of resolved) {
      if (r.kind === "drv") todo.push(r.ref.drvPath);
      else {
        const deriver = store.queryPathInfo(r.ref.path)?.deriver;
        if (deriver && store.isValid(deriver)) todo.push(deriver);
      }
    }
    // -r: every derivation in the closure, as Nix does; that includes one named only as a
    // source (`unsafeDiscardOutputDependency drv.drvPath`), not just the input derivations.
    const shown = recursive ? store.closure(todo).filter((p) => p.endsWith(".drv")) : todo;
    for (const p of shown) {
      if (drvs.has(p)) continue;
      drvs.set(p, parseDerivation(store.readText(p), { name: drvName(p) }));
    }
    writeOut(showDerivationsJson(drvs, "modern") + "\n");
    return 0;
  } finally {
    store.close();
  }
}
