// `builtins.getFlake`: locks a flake (without writing its lock file) and returns its value. In
// pure evaluation the reference must be locked and registries are not consulted.

import { EvalError } from "../eval/errors.js";
import { expectPlainString } from "../eval/expect.js";
import type { RegisterBuiltins } from "../eval/builtins/registry.js";
import { FetchError } from "../fetch/errors.js";
import { StoreError } from "../store/errors.js";
import { FlakeError } from "./errors.js";
import { isLocked, parseFlakeRef } from "./flake-ref.js";
import { fromBytes } from "./load-flake.js";
import type { FlakeSession } from "./session.js";

export function flakeBuiltins(session: () => FlakeSession): RegisterBuiltins {
  return (r) => {
    const state = r.state;
    r.def("getFlake", 1, ([refV], pos) => {
      const text = fromBytes(expectPlainString(refV, "while evaluating the argument passed to builtins.getFlake", pos));
      const pure = state.settings.pure;
      try {
        const ref = parseFlakeRef(text, pure ? {} : { baseDir: session().env.cwd });
        if (pure && !isLocked(ref)) {
          throw new EvalError(
            `cannot call 'getFlake' on unlocked flake reference '${text}'${pos !== null ? `, at ${state.formatPos(pos)}` : ""} (use --impure to override)`,
            "eval",
            pos,
          );
        }
        const s = session();
        const locked = s.lock(ref, { ...s.lockFlags, updateLockFile: false, writeLockFile: false, useRegistries: !pure && s.lockFlags.useRegistries, inputOverrides: [], inputUpdates: [], commitLockFile: false, recreateLockFile: false, referenceLockFile: undefined, outputLockFile: undefined, applyNixConfig: false });
        return s.flakeValue(locked);
      } catch (e) {
        if (e instanceof FlakeError || e instanceof FetchError || e instanceof StoreError) {
          throw new EvalError(e.message, "eval", pos);
        }
        throw e;
      }
    });
  };
}
