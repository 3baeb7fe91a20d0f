// Shared by `tix container` and `tix os`: how their arguments read, the roots a command works
// below, and the default way of building a flake's system — `tix build` of the toplevel
// installable, the way nixos-container and nixos-rebuild run `nix build`.

import { makeRoots, type SystemRoots } from "../system/roots.js";
import { ReportedBuildFailure, SystemError } from "../system/errors.js";
import type { SystemBuildRequest, SystemBuilder } from "../system/system-builder.js";
import type { ArgCursor, ArgWalkStyle } from "./args.js";
import { runBuild } from "./build.js";
import { writeErr } from "./output.js";
import { renderError } from "./render-error.js";
import { storeRootFromOption } from "./store-setup.js";
import { UsageError } from "./usage.js";

/** The style of nixos-container and nixos-rebuild: `--flag=VALUE` accepted, `option '…' needs a value`. */
export const SYSTEM_COMMAND_STYLE: ArgWalkStyle = {
  inlineValues: true,
  missingValue: (flag) => new SystemError(`option '${flag}' needs a value`),
};

/** Nix flags both commands pass through to the build, with their number of values. */
export const NIX_BUILD_FLAGS: Readonly<Record<string, number>> = {
  "--option": 2,
  "--override-input": 2,
  "--update-input": 1,
  "--log-format": 1,
  "--impure": 0,
  "--commit-lock-file": 0,
  "--no-registries": 0,
  "--no-update-lock-file": 0,
  "--no-write-lock-file": 0,
  "--no-allow-dirty": 0,
  "--recreate-lock-file": 0,
  "--show-trace": 0,
  "-L": 0,
  "--print-build-logs": 0,
};

/**
 * Appends `arg` and its values to `nixFlags` when `table` lists it (a missing first value is an
 * error, missing later ones are passed on empty, as before); whether it did.
 */
export function takeNixFlag(table: Readonly<Record<string, number>>, arg: string, at: ArgCursor, nixFlags: string[]): boolean {
  const arity = table[arg];
  if (arity === undefined) return false;
  nixFlags.push(arg);
  for (let k = 0; k < arity; k++) nixFlags.push(k === 0 ? at.value() : (at.optionalValue() ?? ""));
  return true;
}

/** The roots: `--root` (else $TIX_STATE_ROOT when `useEnv`, else /) and `--store` (else the root). */
export function rootsFromOptions(root: string | null, store: string | null, useEnv: boolean): SystemRoots {
  const r = root ?? (useEnv ? process.env["TIX_STATE_ROOT"] || null : null) ?? "/";
  return makeRoots(r, store === null ? null : storeRootFromOption(store));
}

/**
 * Builds like `tix build --no-link --print-out-paths` into the store of `roots`, in this process
 * (a child tix would pay Node's start-up again); build messages and errors go to stderr as
 * `tix build` shows them.
 */
export function tixBuildSystemBuilder(roots: SystemRoots): SystemBuilder {
  const store = roots.storeRoot === "/" ? null : roots.storeRoot;
  return async (req: SystemBuildRequest) => {
    const args = ["--no-link", "--print-out-paths"];
    if (req.dryRun) args.push("--dry-run");
    if (store !== null) args.push("--store", store);
    args.push(...req.nixFlags, `${req.flakeRef}#${req.attrPath}`);
    let out = "";
    let code: number;
    try {
      code = await runBuild(args, (s) => (out += s));
    } catch (e) {
      if (e instanceof UsageError) writeErr(`error: ${e.message}\n`);
      else writeErr(renderError(e, req.nixFlags.includes("--show-trace")));
      code = 1;
    }
    if (code !== 0) throw new ReportedBuildFailure(code);
    const lines = out.split("\n").filter((l) => l.trim() !== "");
    const last = lines[lines.length - 1];
    if (req.dryRun) return last ?? "";
    if (last === undefined) throw new SystemError("tix build printed no output path");
    return last.trim();
  };
}
