// Settings that ask for a guarantee tix does not give. Nix users pass them to be protected by
// them, so tix refuses them instead of evaluating without the protection.
import { UsageError } from "./usage.js";

/** Throws for `restrict-eval = true` (tix does not implement its allowed-paths list). */
export function refuseUnsupportedSetting(name: string, value: string): void {
  if (name === "restrict-eval" && (value === "true" || value === "1" || value === "yes")) {
    throw new UsageError(
      "setting 'restrict-eval' is not supported by tix, which would evaluate without the restriction; " +
        "drop it, or evaluate a flake (pure evaluation allows only the flake and its inputs)",
    );
  }
}
