// Shared by `tix container` and `tix os`: the roots a command works below, and the default way
// of building a flake's system — running `tix build` on the toplevel installable, the way
// nixos-container and nixos-rebuild run `nix build`.

import { spawn } from "node:child_process";
import { makeRoots, type SystemRoots } from "../system/roots.js";
import { SystemError } from "../system/errors.js";
import type { SystemBuildRequest, SystemBuilder } from "../system/system-builder.js";
import { storeRootFromOption } from "./store-setup.js";

/** The roots: `--root` (else $TIX_STATE_ROOT when `useEnv`, else /) and `--store` (else the root). */
export function rootsFromOptions(root: string | null, store: string | null, useEnv: boolean): SystemRoots {
  const r = root ?? (useEnv ? process.env["TIX_STATE_ROOT"] || null : null) ?? "/";
  return makeRoots(r, store === null ? null : storeRootFromOption(store));
}

/**
 * Builds with a child `tix build --no-link --print-out-paths` into the store of `roots`; its
 * stderr is shown as it comes.
 */
export function tixBuildSystemBuilder(roots: SystemRoots): SystemBuilder {
  const store = roots.storeRoot === "/" ? null : roots.storeRoot;
  return (req: SystemBuildRequest) =>
    new Promise((resolve, reject) => {
      const self = process.argv[1];
      if (self === undefined) {
        reject(new SystemError("cannot find the tix program to build with"));
        return;
      }
      const args = [self, "build", "--no-link", "--print-out-paths"];
      if (req.dryRun) args.push("--dry-run");
      if (store !== null) args.push("--store", store);
      args.push(...req.nixFlags, `${req.flakeRef}#${req.attrPath}`);
      const child = spawn(process.execPath, [...process.execArgv, ...args], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
      child.on("error", (e) => reject(new SystemError(`cannot run tix build: ${e.message}`)));
      child.on("close", (code) => {
        if (code !== 0) {
          reject(new SystemError(`tix build exited with status ${code ?? "(signal)"}`));
          return;
        }
        const lines = out.split("\n").filter((l) => l.trim() !== "");
        const last = lines[lines.length - 1];
        if (req.dryRun) resolve(last ?? "");
        else if (last === undefined) reject(new SystemError("tix build printed no output path"));
        else resolve(last.trim());
      });
    });
}
