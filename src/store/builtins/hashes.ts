// Hash builtins that need the store's hash formats: `convertHash`, and the shared parsing of
// algorithm and format names.
import { EvalError } from "../../eval/errors.js";
import { expectAttrs, expectPlainString } from "../../eval/expect.js";
import type { BuiltinRegistry } from "../../eval/builtins/registry.js";
import type { EvalState } from "../../eval/state.js";
import type { Pos, Value } from "../../eval/value.js";
import { FormatError } from "../formats/errors.js";
import { isHashAlgo, parseHash, printHash, type HashAlgo, type HashFormat } from "../formats/hash.js";

const HASH_ALGO_LIST = "'blake3', 'md5', 'sha1', 'sha256', or 'sha512'";

/** Parses a hash algorithm name as the builtins do; `blake3` needs an experimental feature. */
export function parseHashAlgoArg(name: string, pos: Pos | null): HashAlgo {
  if (isHashAlgo(name)) return name;
  if (name === "blake3") {
    throw new EvalError(
      "experimental Nix feature 'blake3-hashes' is disabled; add '--extra-experimental-features blake3-hashes' to enable it",
      "eval",
      pos,
    );
  }
  throw new EvalError(`unknown hash algorithm '${name}', expect ${HASH_ALGO_LIST}`, "eval", pos);
}

function parseHashFormatArg(state: EvalState, name: string, pos: Pos | null): HashFormat {
  switch (name) {
    case "base16":
    case "nix32":
    case "base64":
    case "sri":
      return name;
    case "base32":
      state.io.warn(`warning: "base32" is a deprecated alias for hash format "nix32".`);
      return "nix32";
  }
  throw new EvalError(
    `unknown hash format '${name}', expect 'base16', 'base32', 'nix32', 'base64', or 'sri'`,
    "eval",
    pos,
  );
}


export function register(r: BuiltinRegistry): void {
  const state = r.state;
  r.def("convertHash", 1, ([argsV], pos) => {
    const args = expectAttrs(argsV, "while evaluating the first argument passed to builtins.convertHash", pos);
    const required = (name: string): Value => {
      const v = args.get(name);
      if (v === undefined) {
        throw new EvalError(`attribute '${name}' missing`, "eval", pos).addTrace(`while locating the attribute '${name}'`, pos);
      }
      return v;
    };
    const hash = expectPlainString(required("hash"), "while evaluating the attribute 'hash'", pos);
    const algoV = args.get("hashAlgo");
    const algo =
      algoV === undefined
        ? undefined
        : parseHashAlgoArg(expectPlainString(algoV, "while evaluating the attribute 'hashAlgo'", pos), pos);
    const format = parseHashFormatArg(
      state,
      expectPlainString(required("toHashFormat"), "while evaluating the attribute 'toHashFormat'", pos),
      pos,
    );
    let parsed;
    try {
      parsed = parseHash(hash, algo);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      const m = /^unknown hash algorithm '(.*)'$/s.exec(e.message);
      throw new EvalError(m ? `unknown hash algorithm '${m[1]}', expect ${HASH_ALGO_LIST}` : e.message, "eval", pos);
    }
    return printHash(parsed, format, format === "sri");
  });

}
