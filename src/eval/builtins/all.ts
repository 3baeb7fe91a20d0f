// Every builtin family of the language layer, in registration order.
import type { RegisterBuiltins } from "./registry.js";
import { register as arith } from "./arith.js";
import { register as attrs } from "./attrs.js";
import { register as constants } from "./constants.js";
import { register as context } from "./context.js";
import { register as json } from "./json.js";
import { register as lists } from "./lists.js";
import { register as paths } from "./paths.js";
import { register as strings } from "./strings.js";
import { register as toml } from "./toml.js";
import { register as types } from "./types.js";
import { register as xml } from "./xml.js";

export const ALL_BUILTIN_FAMILIES: readonly RegisterBuiltins[] = [
  constants, types, arith, attrs, lists, strings, context, json, toml, xml, paths,
];
