// `builtins.toXML`: the value, forced deeply, in Nix's XML format (../to-xml.ts); context kept.
import { printValueAsXML } from "../to-xml.js";
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const state = r.state;
  r.def("toXML", 1, ([v], pos) => printValueAsXML(state, v, { strict: true, location: false }, pos));
}
