// JSON builtins: `toJSON` (deep, paths copied to the store, context kept) and `fromJSON`.
import { expectPlainString } from "../expect.js";
import { JSONSyntaxError, parseJSON } from "../from-json.js";
import { printValueAsJSON } from "../to-json.js";
import type { BuiltinRegistry } from "./registry.js";

export function register(r: BuiltinRegistry): void {
  const state = r.state;

  r.def("toJSON", 1, ([v], pos) => printValueAsJSON(state, v, { copyToStore: true, strict: true }, pos));

  r.def("fromJSON", 1, ([v], pos) => {
    const text = expectPlainString(v, "while evaluating the first argument passed to builtins.fromJSON", pos);
    try {
      return parseJSON(text);
    } catch (e) {
      if (e instanceof JSONSyntaxError) e.at(pos).addTrace("while decoding a JSON string", pos);
      throw e;
    }
  });
}
