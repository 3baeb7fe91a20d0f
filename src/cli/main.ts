// The `tix` command: dispatches to one module per subcommand and turns errors into messages.
import { renderError } from "./render-error.js";
import { runInstantiate } from "./instantiate.js";
import { runEval } from "./eval.js";
import { runStore, runPathInfo } from "./store.js";
import { runHash } from "./hash.js";
import { runBuild } from "./build.js";
import { runRun } from "./run.js";
import { runShell } from "./shell.js";
import { runLog } from "./log.js";
import { runDerivation } from "./derivation.js";
import { runContainer } from "./container.js";
import { runOs } from "./os.js";
import { runFlake } from "./flake.js";
import { runRegistry } from "./registry.js";
import { UsageError } from "./usage.js";
import { writeErr, writeOut } from "./output.js";

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
        return runInstantiate(rest);
      case "eval":
        return runEval(rest);
      case "store":
        return runStore(rest);
      case "path-info":
        return runPathInfo(rest);
      case "hash":
        return runHash(rest);
      case "build":
        return await runBuild(rest);
      case "run":
        return await runRun(rest);
      case "shell":
        return await runShell(rest);
      case "log":
        return runLog(rest);
      case "derivation":
        return runDerivation(rest);
      case "container":
        return await runContainer(rest);
      case "os":
        return await runOs(rest);
      case "flake":
        return await runFlake(rest);
      case "registry":
        return runRegistry(rest);
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

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
