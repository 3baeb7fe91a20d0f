// Constant builtins: versions, the store directory, and (impure only) the system and time.
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const s = r.state.settings;
  r.constant("true", true);
  r.constant("false", false);
  r.constant("null", null);
  r.constant("nixVersion", s.nixVersion);
  r.constant("langVersion", 6);
  r.constant("storeDir", s.storeDir);
  if (!s.pure) {
    r.constant("currentSystem", s.system);
    r.constant("currentTime", Math.floor(Date.now() / 1000));
  }
}
