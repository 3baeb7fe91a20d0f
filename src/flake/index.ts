// Flakes: the pure formats (flake references, flake.lock, registries, attribute paths, and the
// URL and JSON dialects they are written in), and loading, locking, evaluating and showing flakes.

export * from "./errors.js";
export * from "./json.js";
export * from "./url.js";
export * from "./flake-ref.js";
export * from "./attr-path.js";
export * from "./lock-file.js";
export * from "./registry.js";
export * from "./flake-env.js";
export * from "./load-flake.js";
export * from "./lock.js";
export * from "./call-flake.js";
export * from "./registries.js";
export * from "./eval-cache.js";
export * from "./session.js";
export * from "./installable.js";
export * from "./show.js";
export * from "./check.js";
export * from "./template.js";
export * from "./get-flake-builtin.js";
