// `tix container`: imperative NixOS-style containers (like nixos-container). Options may appear
// anywhere on the line; `--` ends them (the command of `run` follows it).

import {
  containerHostKey,
  containerIp,
  containerStatus,
  createContainer,
  destroyContainer,
  listContainers,
  loginToNamedContainer,
  runInNamedContainer,
  startNamedContainer,
  stopNamedContainer,
  updateContainer,
  type ContainerContext,
} from "../system/containers.js";
import { SystemError } from "../system/errors.js";
import type { SystemBuilder } from "../system/system-builder.js";
import { SystemStore } from "../system/system-store.js";
import { argBytes, writeErr, writeOut } from "./output.js";
import { walkArgs } from "./args.js";
import { NIX_BUILD_FLAGS, SYSTEM_COMMAND_STYLE, rootsFromOptions, takeNixFlag, tixBuildSystemBuilder } from "./system-setup.js";

const PROG = "tix container";

/** Messages are Unicode (‘quotes’); the output functions take byte strings. */
function say(s: string): void {
  writeErr(argBytes(s));
}

function print(s: string): void {
  writeOut(argBytes(s));
}

const HELP = `Usage: tix container ACTION [NAME] [OPTIONS] [-- COMMAND...]

Actions:
  list                      list the containers
  create NAME               create a container (not started), from one of:
      --flake REF[#ATTR]      nixosConfigurations.ATTR (default: container) of a flake
      --system-path PATH      a system already in the store
      --config TEXT | --config-file FILE
                              a configuration module (needs the module system)
    [--ensure-unique-name] [--auto-start] [--bridge BRIDGE] [--port PORTS]
    [--host-address ADDR --local-address ADDR]
  destroy NAME              stop the container and delete all its state
  start NAME | stop NAME | restart NAME
  terminate NAME            kill the container at once
  status NAME               print up, down or gone
  update NAME [--flake REF | --system-path PATH]
                            install a new system; a running container switches to it
  run NAME -- COMMAND...    run a command as root inside the container
  root-login NAME           a root shell inside the container
  login NAME                the container's login program
  show-ip NAME              the container's IP address
  show-host-key NAME        the container's public SSH host key

Options:
  --root DIR                the directory standing for / (default: $TIX_STATE_ROOT, else /)
  --store DIR               the chroot store the systems live in (default: below the root)
  Nix options for --flake: --option NAME VALUE, --impure, --update-input INPUT,
  --override-input INPUT REF, --commit-lock-file, --no-registries, --no-update-lock-file,
  --no-write-lock-file, --no-allow-dirty, --recreate-lock-file, --log-format FORMAT
`;

interface ContainerArgs {
  action: string | null;
  name: string | null;
  command: string[];
  flake: string | null;
  systemPath: string | null;
  config: string | null;
  configFile: string | null;
  nixosPath: string | null;
  ensureUniqueName: boolean;
  autoStart: boolean;
  bridge: string | null;
  port: string | null;
  hostAddress: string | null;
  localAddress: string | null;
  root: string | null;
  store: string | null;
  nixFlags: string[];
  help: boolean;
}

/** Options taking one value, and where it goes. */
const VALUE_OPTIONS: Record<string, keyof ContainerArgs> = {
  "--flake": "flake",
  "--system-path": "systemPath",
  "--config": "config",
  "--config-file": "configFile",
  "--nixos-path": "nixosPath",
  "--bridge": "bridge",
  "--port": "port",
  "--host-address": "hostAddress",
  "--local-address": "localAddress",
  "--root": "root",
  "--store": "store",
};

/** Nix options passed through to the build, with their number of values. */
const NIX_OPTIONS: Readonly<Record<string, number>> = NIX_BUILD_FLAGS;

function parseArgs(argv: readonly string[]): ContainerArgs {
  const a: ContainerArgs = {
    action: null,
    name: null,
    command: [],
    flake: null,
    systemPath: null,
    config: null,
    configFile: null,
    nixosPath: null,
    ensureUniqueName: false,
    autoStart: false,
    bridge: null,
    port: null,
    hostAddress: null,
    localAddress: null,
    root: null,
    store: null,
    nixFlags: [],
    help: false,
  };
  walkArgs(argv, SYSTEM_COMMAND_STYLE, (arg, at) => {
    if (arg === "--") {
      a.command = at.rest();
      return;
    }
    const field = VALUE_OPTIONS[arg];
    if (field !== undefined) {
      (a as unknown as Record<string, string>)[field] = at.value();
    } else if (takeNixFlag(NIX_OPTIONS, arg, at, a.nixFlags)) {
      // passed on to the build
    } else if (arg === "--ensure-unique-name") {
      a.ensureUniqueName = true;
    } else if (arg === "--auto-start") {
      a.autoStart = true;
    } else if (arg === "--help" || arg === "-h") {
      a.help = true;
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new SystemError(`unknown option ‘${arg}’`);
    } else if (a.action === null) {
      a.action = arg;
    } else if (a.name === null) {
      a.name = arg;
    } else {
      a.command.push(arg);
    }
  });
  return a;
}

/** Hooks for tests and for other ways of building flakes. */
export interface ContainerCommandHooks {
  readonly buildSystem?: SystemBuilder;
}

export async function runContainer(argv: readonly string[], hooks: ContainerCommandHooks = {}): Promise<number> {
  let store: SystemStore | null = null;
  try {
    const a = parseArgs(argv);
    if (a.help || a.action === "help") {
      print(HELP);
      return 0;
    }
    if (a.action === null) throw new SystemError("no action specified");
    const roots = rootsFromOptions(a.root, a.store, true);
    store = new SystemStore(roots);
    const ctx: ContainerContext = {
      roots,
      store,
      buildSystem: hooks.buildSystem ?? tixBuildSystemBuilder(roots),
      message: (line) => say(line + "\n"),
    };
    if (a.action === "list") {
      for (const n of listContainers(roots)) print(n + "\n");
      return 0;
    }
    const known = ["create", "destroy", "start", "stop", "restart", "terminate", "status", "update", "run", "login", "root-login", "show-ip", "show-host-key"];
    if (!known.includes(a.action)) throw new SystemError(`unknown action ‘${a.action}’`);
    if (a.name === null) throw new SystemError("no container name specified");
    const name = a.name;
    switch (a.action) {
      case "create": {
        const r = await createContainer(ctx, {
          name,
          flake: a.flake,
          systemPath: a.systemPath,
          config: a.config,
          configFile: a.configFile,
          ensureUniqueName: a.ensureUniqueName,
          autoStart: a.autoStart,
          bridge: a.bridge,
          port: a.port,
          hostAddress: a.hostAddress,
          localAddress: a.localAddress,
          nixFlags: a.nixFlags,
        });
        if (a.ensureUniqueName) print(r.name + "\n");
        return 0;
      }
      case "destroy":
        destroyContainer(ctx, name);
        return 0;
      case "start":
        await startNamedContainer(ctx, name);
        return 0;
      case "stop":
        stopNamedContainer(ctx, name);
        return 0;
      case "restart":
        stopNamedContainer(ctx, name);
        await startNamedContainer(ctx, name);
        return 0;
      case "terminate":
        stopNamedContainer(ctx, name, true);
        return 0;
      case "status": {
        const s = containerStatus(roots, name);
        print(s + "\n");
        return s === "gone" ? 1 : 0;
      }
      case "update":
        await updateContainer(ctx, name, {
          flake: a.flake,
          systemPath: a.systemPath,
          config: a.config,
          configFile: a.configFile,
          nixFlags: a.nixFlags,
        });
        return 0;
      case "run":
        if (a.command.length === 0) throw new SystemError("no command specified");
        return runInNamedContainer(roots, name, a.command);
      case "root-login":
        return loginToNamedContainer(roots, name, "shell");
      case "login":
        return loginToNamedContainer(roots, name, "login");
      case "show-ip":
        print(containerIp(roots, name) + "\n");
        return 0;
      case "show-host-key": {
        const key = containerHostKey(roots, name);
        if (key !== null) print(key);
        return key === null ? 1 : 0;
      }
    }
    return 1;
  } catch (e) {
    if (e instanceof SystemError) {
      say(`${PROG}: ${e.message}\n`);
      return e.exitCode;
    }
    throw e;
  } finally {
    store?.close();
  }
}
