// The pure formats of flakes: flake references, flake.lock, registries, attribute paths, and the
// URL and JSON dialects they are written in.

export * from "./errors.js";
export * from "./json.js";
export * from "./url.js";
export * from "./flake-ref.js";
export * from "./attr-path.js";
export * from "./lock-file.js";
export * from "./registry.js";
