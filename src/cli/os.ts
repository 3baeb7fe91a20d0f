// `tix os`: host systems. `tix os rebuild` is nixos-rebuild for tix systems; `tix os version`
// is nixos-version for the system running below a root.

import { ReportedBuildFailure, SystemError } from "../system/errors.js";
import {
  formatGenerationTable,
  isRebuildAction,
  listSystemGenerations,
  rebuild,
  REBUILD_ACTIONS,
} from "../system/os-rebuild.js";
import { runInRoot } from "../system/activation.js";
import { currentSystem, currentVersionOutput, runSystemNixosVersion } from "../system/os-version.js";
import type { SystemBuilder } from "../system/system-builder.js";
import { SystemStore } from "../system/system-store.js";
import { argBytes, writeErr, writeOut } from "./output.js";
import { walkArgs } from "./args.js";
import { NIX_BUILD_FLAGS, SYSTEM_COMMAND_STYLE, rootsFromOptions, takeNixFlag, tixBuildSystemBuilder } from "./system-setup.js";

const HELP = `Usage: tix os COMMAND ...

Commands:
  rebuild ACTION [OPTIONS]  build and activate a system (like nixos-rebuild)
      ACTION: switch | boot | test | build | dry-build | dry-activate | list-generations
      --flake REF[#NAME]      nixosConfigurations.NAME (default: the host name) of a flake
      --system-path PATH      a system already in the store
      --rollback              go back to the previous generation
      -p, --profile-name NAME use /nix/var/nix/profiles/system-profiles/NAME
      --specialisation NAME   activate a specialisation (switch, test)
      --install-bootloader    force the boot loader to be installed again
      --json                  list-generations as JSON
  version [--json | --revision | --hash | --configuration-revision]
                            the version of the running system (like nixos-version)
  enter [-c COMMAND | -- ARGS...]
                            run a command (default: a shell) in the system below --root,
                            with that directory as / (like nixos-enter)

Options:
  --root DIR                act on the system installed below DIR (default: /); activation then
                            runs in a private namespace where DIR is /
  --store DIR               the chroot store the systems live in (default: below the root)
  Nix's flags are passed on to the build: --update-input INPUT, --override-input INPUT REF,
  --commit-lock-file, --no-allow-dirty, --no-write-lock-file, --recreate-lock-file, --impure,
  --option NAME VALUE, --show-trace, -L, --offline, --max-jobs N, ...
`;

function say(s: string): void {
  writeErr(argBytes(s));
}

function print(s: string): void {
  writeOut(argBytes(s));
}

/** Nix options passed through to the build, with their number of values. */
const NIX_OPTIONS: Readonly<Record<string, number>> = {
  ...NIX_BUILD_FLAGS,
  "--offline": 0,
  "--refresh": 0,
  "-v": 0,
  "--verbose": 0,
  "--keep-going": 0,
  "-k": 0,
  "--max-jobs": 1,
  "-j": 1,
  "--cores": 1,
};

interface OsArgs {
  positional: string[];
  flake: string | null;
  systemPath: string | null;
  root: string | null;
  store: string | null;
  profileName: string | null;
  specialisation: string | null;
  rollback: boolean;
  json: boolean;
  installBootloader: boolean;
  help: boolean;
  nixFlags: string[];
}

function parseRebuildArgs(argv: readonly string[]): OsArgs {
  const a: OsArgs = {
    positional: [],
    flake: null,
    systemPath: null,
    root: null,
    store: null,
    profileName: null,
    specialisation: null,
    rollback: false,
    json: false,
    installBootloader: false,
    help: false,
    nixFlags: [],
  };
  walkArgs(argv, SYSTEM_COMMAND_STYLE, (arg, at) => {
    const value = at.value;
    switch (arg) {
      case "--flake":
        a.flake = value();
        break;
      case "--system-path":
      case "--store-path":
        a.systemPath = value();
        break;
      case "--root":
        a.root = value();
        break;
      case "--store":
        a.store = value();
        break;
      case "-p":
      case "--profile-name":
        a.profileName = value();
        break;
      case "--specialisation":
      case "-c":
        a.specialisation = value();
        break;
      case "--rollback":
        a.rollback = true;
        break;
      case "--json":
        a.json = true;
        break;
      case "--install-bootloader":
        a.installBootloader = true;
        break;
      case "--fast":
      case "--no-reexec":
      case "--no-build-nix":
        break;
      case "-h":
      case "--help":
        a.help = true;
        break;
      default:
        if (takeNixFlag(NIX_OPTIONS, arg, at, a.nixFlags)) break;
        if (arg.startsWith("-")) throw new SystemError(`unknown option \`${arg}'`);
        a.positional.push(arg);
    }
  });
  return a;
}

export interface OsCommandHooks {
  readonly buildSystem?: SystemBuilder;
}

async function runRebuild(argv: readonly string[], hooks: OsCommandHooks): Promise<number> {
  const a = parseRebuildArgs(argv);
  if (a.help) {
    print(HELP);
    return 0;
  }
  const action = a.positional[0];
  if (action === undefined) throw new SystemError(`no action given (one of ${REBUILD_ACTIONS.join(", ")}, list-generations)`);
  if (a.positional.length > 1) throw new SystemError(`unexpected argument '${a.positional[1]}'`);
  const roots = rootsFromOptions(a.root, a.store, false);
  if (action === "list-generations") {
    const rows = listSystemGenerations(roots, a.profileName);
    print(a.json ? JSON.stringify(rows, null, 2) + "\n" : formatGenerationTable(rows));
    return 0;
  }
  if (!isRebuildAction(action)) throw new SystemError(`unknown action '${action}'`);
  const store = new SystemStore(roots);
  try {
    return await rebuild({
      roots,
      store,
      action,
      flake: a.flake,
      systemPath: a.systemPath,
      rollback: a.rollback,
      profileName: a.profileName,
      nixFlags: a.nixFlags,
      installBootloader: a.installBootloader,
      specialisation: a.specialisation,
      buildSystem: hooks.buildSystem ?? tixBuildSystemBuilder(roots),
      message: (line) => say(line + "\n"),
    });
  } finally {
    store.close();
  }
}

function runVersion(argv: readonly string[]): number {
  let root: string | null = null;
  let store: string | null = null;
  const rest: string[] = [];
  walkArgs(argv, SYSTEM_COMMAND_STYLE, (arg, at) => {
    if (arg === "--root") root = at.value();
    else if (arg === "--store") store = at.value();
    else rest.push(at.raw); // nixos-version's own flags
  });
  const roots = rootsFromOptions(root, store, false);
  const out = currentVersionOutput(roots, rest);
  if (out === null) return runSystemNixosVersion(roots, rest);
  print(out.stdout);
  say(out.stderr);
  return out.status;
}

/** `tix os enter`: a command (or a shell) inside the system below the root, as nixos-enter. */
function runEnter(argv: readonly string[]): number {
  let root: string | null = null;
  let store: string | null = null;
  let command = null as string[] | null; // set in the walk below, which TypeScript does not follow
  walkArgs(argv, SYSTEM_COMMAND_STYLE, (arg, at) => {
    if (arg === "--") command = at.rest();
    else if (arg === "--root") root = at.value();
    else if (arg === "--store") store = at.value();
    else if (arg === "-c" || (arg === "--command" && at.raw === arg)) command = ["/run/current-system/sw/bin/sh", "-c", at.value()];
    else throw new SystemError(`unknown option \`${at.raw}'`);
  });
  const roots = rootsFromOptions(root, store, false);
  if (roots.root !== "/") currentSystem(roots); // fails clearly when nothing is installed there
  if (command === null || command.length === 0) command = ["/run/current-system/sw/bin/sh"];
  return runInRoot(roots, command);
}

export async function runOs(argv: readonly string[], hooks: OsCommandHooks = {}): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        print(HELP);
        return 0;
      case "rebuild":
        return await runRebuild(rest, hooks);
      case "version":
        return runVersion(rest);
      case "enter":
        return runEnter(rest);
      default:
        throw new SystemError(`unknown command 'tix os ${cmd}'`);
    }
  } catch (e) {
    if (e instanceof ReportedBuildFailure) return e.exitCode;
    if (e instanceof SystemError) {
      say(`error: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  }
}
