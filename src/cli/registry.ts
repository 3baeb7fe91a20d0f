// `tix registry list|add|remove|pin` (like `nix registry`): the user registry by default, or
// the file given with `--registry FILE`.
import { fetchOrResolve } from "../flake/flake-env.js";
import { parseFlakeRef, withDir } from "../flake/flake-ref.js";
import { loadRegistries, readRegistryFile, registryPaths, writeRegistryFile } from "../flake/registries.js";
import { addRegistryEntry, formatRegistryList, removeRegistryEntry } from "../flake/registry.js";
import { emptyFlakeCliOptions, openFlakeSession, parseFlakeFlag, type FlakeCliOptions } from "./flake-setup.js";
import { SEPARATE_VALUES_STYLE, walkArgs } from "./args.js";
import { writeOut } from "./output.js";
import { openLocalStoreFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

const HELP = `Usage: tix registry COMMAND [OPTIONS]

Commands:
  list                  show the user, system and global registries
  add FROM TO           map flake FROM to TO in the user registry
  remove FROM           remove FROM from the user registry
  pin FROM [TO]         pin FROM to its current locked version (or to TO)

Options:
  --registry FILE       use FILE instead of the user registry
`;

interface RegistryOptions extends FlakeCliOptions {
  registryFile: string | null;
  positional: string[];
}

function parseArgs(argv: string[]): RegistryOptions {
  const o: RegistryOptions = { ...emptyFlakeCliOptions(), registryFile: null, positional: [] };
  walkArgs(argv, SEPARATE_VALUES_STYLE, (a, { value: next }) => {
    if (a === "--registry") o.registryFile = next();
    else if (parseFlakeFlag(o, a, next)) return;
    else if (a.startsWith("-")) throw new UsageError(`unrecognised flag '${a}'`);
    else o.positional.push(a);
  });
  return o;
}

function out(s: string): void {
  writeOut(Buffer.from(s, "utf8").toString("latin1"));
}

export function runRegistry(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "help") {
    out(HELP);
    return 0;
  }
  const o = parseArgs(rest);
  const file = o.registryFile ?? registryPaths().user;
  const args = o.positional;
  const want = (n: number, usage: string): void => {
    if (args.length < n || args.length > (sub === "pin" ? 2 : n)) throw new UsageError(`usage: tix registry ${usage}`);
  };
  switch (sub) {
    case "list": {
      want(0, "list");
      const regs = loadRegistries().filter((r) => r.type !== "flag");
      for (const line of formatRegistryList(regs)) out(line + "\n");
      return 0;
    }
    case "add": {
      want(2, "add FROM TO");
      const from = parseFlakeRef(args[0]!);
      const to = parseFlakeRef(args[1]!);
      writeRegistryFile(file, addRegistryEntry(readRegistryFile(file, "user"), from, to));
      return 0;
    }
    case "remove": {
      want(1, "remove FROM");
      const from = parseFlakeRef(args[0]!);
      writeRegistryFile(file, removeRegistryEntry(readRegistryFile(file, "user"), from));
      return 0;
    }
    case "pin": {
      want(1, "pin FROM [TO]");
      const from = parseFlakeRef(args[0]!);
      const target = parseFlakeRef(args[1] ?? args[0]!);
      const store = openLocalStoreFromOption(o.storeRoot);
      try {
        const session = openFlakeSession(o, store);
        const fetched = fetchOrResolve(session.env, target, true);
        const locked = withDir(fetched.lockedRef, fetched.resolvedRef.dir);
        writeRegistryFile(file, addRegistryEntry(readRegistryFile(file, "user"), from, locked));
        session.close();
      } finally {
        store.close();
      }
      return 0;
    }
    default:
      throw new UsageError(`'registry ${sub}' is not a recognised command`);
  }
}
