// Flake workloads for bench/run.ts: `flake lock` of a flake with 20 git inputs, and `flake show`
// of a flake with 200 packages, cold (fresh store and cache every run) and with the evaluation
// cache warm. The flakes are generated in the bench's temporary directory.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Cmd, Workload } from "./run.js";

/** What the workloads need from the runner. */
export interface FlakeBenchContext {
  readonly tempDir: (prefix: string) => string;
  readonly removeTree: (p: string) => void;
  readonly tixBin: () => string;
  readonly nixEnv: NodeJS.ProcessEnv;
}

const INPUTS = 20;
const OUTPUTS = 200;

const gitEnv: NodeJS.ProcessEnv = {
  ...process.env,
  // The user's git configuration (signing, hooks) has no place in generated repositories.
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_AUTHOR_DATE: "2024-01-02T03:04:05Z",
  GIT_COMMITTER_DATE: "2024-01-02T03:04:05Z",
};

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "init.defaultBranch=master", ...args], { cwd, env: gitEnv, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} in ${cwd}: ${r.stderr}`);
}

interface Flakes {
  /** Holds the empty registry used as the global one. */
  readonly registry: string;
  /** A plain directory flake with 20 `git+file` inputs (no lock file). */
  readonly lockTop: string;
  /** A plain directory flake with 200 packages (already locked). */
  readonly showTop: string;
}

function generate(ctx: FlakeBenchContext): Flakes {
  const root = ctx.tempDir("flakes-");
  const registry = path.join(root, "registry.json");
  fs.writeFileSync(registry, '{"flakes":[],"version":2}\n');
  const inputs: string[] = [];
  for (let i = 1; i <= INPUTS; i++) {
    const dir = path.join(root, `input${i}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "flake.nix"), `{\n  description = "input ${i}";\n  outputs = { self }: { n = ${i}; };\n}\n`);
    fs.writeFileSync(path.join(dir, "data.txt"), `data of input ${i}\n`.repeat(50));
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "commit", "-qm", "init");
    inputs.push(`  inputs.input${i}.url = "git+file://${dir}";`);
  }
  const lockTop = path.join(root, "lock-top");
  fs.mkdirSync(lockTop);
  fs.writeFileSync(
    path.join(lockTop, "flake.nix"),
    `{\n${inputs.join("\n")}\n  outputs = inputs: { count = builtins.length (builtins.attrNames inputs); };\n}\n`,
  );
  const showTop = path.join(root, "show-top");
  fs.mkdirSync(showTop);
  const pkgs: string[] = [];
  for (let i = 1; i <= OUTPUTS; i++) {
    pkgs.push(`    pkg${i} = mk "pkg${i}";`);
  }
  fs.writeFileSync(
    path.join(showTop, "flake.nix"),
    `{\n  description = "${OUTPUTS} packages";\n  outputs = { self }: let\n` +
      `    mk = name: derivation { inherit name; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo \${name} > $out" ]; };\n` +
      `  in {\n  packages.x86_64-linux = {\n${pkgs.join("\n")}\n  };\n  };\n}\n`,
  );
  // A flake without inputs still gets a lock file; write it once so no run writes into the tree.
  fs.writeFileSync(path.join(showTop, "flake.lock"), `{\n  "nodes": {\n    "root": {}\n  },\n  "root": "root",\n  "version": 7\n}\n`);
  return { registry, lockTop, showTop };
}

/** The environment of one side: its own HOME/cache/config under `home`, the empty registry. */
function sideEnv(ctx: FlakeBenchContext, f: Flakes, home: string): NodeJS.ProcessEnv {
  return {
    ...ctx.nixEnv,
    HOME: home,
    XDG_CACHE_HOME: path.join(home, "cache"),
    XDG_CONFIG_HOME: path.join(home, "config"),
    XDG_DATA_HOME: path.join(home, "data"),
    NIX_CONFIG: `${ctx.nixEnv["NIX_CONFIG"] ?? ""}\nflake-registry = ${f.registry}`,
    TIX_GLOBAL_REGISTRY: f.registry,
    TIX_SYSTEM_REGISTRY: path.join(home, "no-system-registry.json"),
    TIX_SYSTEM: "x86_64-linux",
  };
}

/** Nix prints `flake show` in colour even into a pipe; tix does not. Compare the plain trees. */
export function plainShowTree(out: Buffer): Buffer {
  // eslint-disable-next-line no-control-regex
  const lines = out.toString("utf8").replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  // The first line is the locked URL, whose query escaping differs between Nix versions.
  return Buffer.from(lines.slice(1).join("\n"));
}

export function flakeWorkloads(ctx: FlakeBenchContext): Workload[] {
  let flakes: Flakes | null = null;
  const get = (): Flakes => (flakes ??= generate(ctx));
  const nixBin = "nix";

  /** A fresh store and home per run (cold), removed after the run. */
  const cold = (argv: (store: string) => string[], side: string): (() => Cmd) => () => {
    const f = get();
    const home = ctx.tempDir(`${side}-home-`);
    const store = path.join(home, "store");
    return {
      argv: argv(store),
      env: sideEnv(ctx, f, home),
      cleanup: () => ctx.removeTree(home),
    };
  };
  /** One store and home kept for all runs of a side (the warm-up run fills the caches). */
  const warm = (argv: (store: string) => string[], side: string): (() => Cmd) => {
    let home: string | null = null;
    return () => {
      const f = get();
      home ??= ctx.tempDir(`${side}-home-`);
      return { argv: argv(path.join(home, "store")), env: sideEnv(ctx, f, home) };
    };
  };
  // `flake lock` writes flake.lock into the flake; print it (so both sides' locks are compared)
  // and remove it, so every run locks from scratch.
  const lockScript = (cmd: string[]): string[] => {
    const top = get().lockTop;
    const quoted = cmd.map((a) => `'${a}'`).join(" ");
    return ["/bin/sh", "-c", `${quoted} && cat '${top}/flake.lock' && rm -f '${top}/flake.lock'`];
  };
  const showArgs = (store: string): string[] => ["flake", "show", "--store", store, `path:${get().showTop}`];

  return [
    {
      name: "flake-lock-20",
      group: "flake",
      baseLabel: "nix",
      compare: true,
      base: cold((s) => lockScript([nixBin, "flake", "lock", "--store", s, `path:${get().lockTop}`]), "nix"),
      tix: cold((s) => lockScript([ctx.tixBin(), "flake", "lock", "--store", s, `path:${get().lockTop}`]), "tix"),
    },
    {
      name: "flake-show-200",
      group: "flake",
      baseLabel: "nix",
      compare: true,
      normalise: plainShowTree,
      base: cold((s) => [nixBin, ...showArgs(s)], "nix"),
      tix: cold((s) => [ctx.tixBin(), ...showArgs(s)], "tix"),
    },
    {
      name: "flake-show-200-cached",
      group: "flake",
      baseLabel: "nix",
      compare: true,
      normalise: plainShowTree,
      base: warm((s) => [nixBin, ...showArgs(s)], "nix"),
      tix: warm((s) => [ctx.tixBin(), ...showArgs(s)], "tix"),
    },
  ];
}
