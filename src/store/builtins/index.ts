// The builtins that need the store, registered on top of the language's own.
import type { RegisterBuiltins } from "../../eval/builtins/registry.js";
import { register as derivation } from "./derivation.js";
import { register as hashes } from "./hashes.js";
import { register as storePaths } from "./store-paths.js";

export const STORE_BUILTINS: readonly RegisterBuiltins[] = [storePaths, hashes, derivation];
