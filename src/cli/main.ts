// The `tix` command: dispatches to one module per subcommand and turns errors into messages.
// Subcommand modules are imported when their command runs: the bundle (scripts/bundle.mjs)
// then initialises only the modules a command needs, which is most of `tix`'s start-up.
import { renderError } from "./render-error.js";
import { UsageError } from "./usage.js";
import { writeErr, writeOut } from "./output.js";
import { EVAL_HELP, INSTANTIATE_HELP, PATH_INFO_HELP, wantsHelp } from "./help.js";

const HELP = `Usage: tix COMMAND [ARGS...]

Commands:
  instantiate   evaluate Nix expressions (drop-in for nix-instantiate)
  eval          evaluate a Nix expression (like nix eval)
  store         manipulate the store: add-path, add-file, path-info, verify, gc, delete,
                ls, cat, dump-path, restore (like nix store; --store DIR for a chroot store)
  path-info     show information about store paths (like nix path-info)
  hash          compute and convert hashes (like nix hash)
  build         build derivations (like nix build / nix-build; -f FILE, --expr, -A)
  run           build an app or package of a flake and run it (like nix run)
  shell         run a command with packages' bin directories on PATH (like nix shell)
  log           show the build log of a derivation (like nix log)
  derivation    show store derivations as JSON (derivation show)
  container     NixOS-style containers (like nixos-container)
  os            build and activate host systems, show their version (nixos-rebuild, nixos-version)
  flake         flake commands: metadata, show, lock, update, init, new, check, prefetch, archive
  registry      list and edit the flake registries (list, add, remove, pin)

Options:
  --help        show this help
  --version     show the version
`;

/** The help of a command whose module has none. */
function ownHelp(cmd: string): string | null {
  switch (cmd) {
    case "instantiate": return INSTANTIATE_HELP;
    case "eval": return EVAL_HELP;
    case "path-info": return PATH_INFO_HELP;
    default: return null;
  }
}

/** `tix --store DIR CMD …` is `tix CMD … --store DIR`: the store is a global option. */
function hoistStoreOption(argv: string[]): string[] {
  if (argv[0] === "--store" && argv.length >= 3) {
    // `run` and `shell` hand what follows `--`/`-c` to a program: the flag goes before that.
    if (argv[2] === "run" || argv[2] === "shell") return [argv[2], "--store", argv[1]!, ...argv.slice(3)];
    return [argv[2]!, ...argv.slice(3), "--store", argv[1]!];
  }
  return argv;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = hoistStoreOption(argv);
  const showTrace = rest.includes("--show-trace");
  try {
    if (cmd !== undefined && wantsHelp(cmd, rest)) {
      const own = ownHelp(cmd);
      if (own !== null) {
        writeOut(own);
        return 0;
      }
      // the others print their own help for a leading --help
      if (rest[0] !== "--help") return await main([cmd, "--help"]);
    }
    switch (cmd) {
      case undefined:
      case "--help":
      case "help":
        writeOut(HELP);
        return 0;
      case "--version":
        writeOut("tix 0.1.0\n");
        return 0;
      case "instantiate":
        return (await import("./instantiate.js")).runInstantiate(rest);
      case "eval":
        return (await import("./eval.js")).runEval(rest);
      case "store":
        return (await import("./store.js")).runStore(rest);
      case "path-info":
        return (await import("./store.js")).runPathInfo(rest);
      case "hash":
        return (await import("./hash.js")).runHash(rest);
      case "build":
        return await (await import("./build.js")).runBuild(rest);
      case "run":
        return await (await import("./run.js")).runRun(rest);
      case "shell":
        return await (await import("./shell.js")).runShell(rest);
      case "log":
        return (await import("./log.js")).runLog(rest);
      case "derivation":
        return (await import("./derivation.js")).runDerivation(rest);
      case "container":
        return await (await import("./container.js")).runContainer(rest);
      case "os":
        return await (await import("./os.js")).runOs(rest);
      case "flake":
        return await (await import("./flake.js")).runFlake(rest);
      case "registry":
        return (await import("./registry.js")).runRegistry(rest);
      default:
        throw new UsageError(`'${cmd}' is not a recognised command`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      writeErr(`error: ${e.message}\nTry 'tix --help' for more information.\n`);
      return 1;
    }
    writeErr(renderError(e, showTrace));
    return 1;
  }
}

// bin/tix moved NODE_EXTRA_CA_CERTS aside so that Node does not load it at start (see
// src/fetch/extra-ca-certs.ts); processes tix starts get it back.
if (process.env["TIX_EXTRA_CA_CERTS"] && process.env["NODE_EXTRA_CA_CERTS"] === undefined) {
  process.env["NODE_EXTRA_CA_CERTS"] = process.env["TIX_EXTRA_CA_CERTS"];
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
