// The build layer: realising derivations (planning, scheduling, sandboxed builders, output
// registration, logs and progress display).

export * from "./errors.js";
export * from "./settings.js";
export * from "./structured-attrs.js";
export * from "./builder-env.js";
export * from "./reference-graphs.js";
export * from "./builder-process.js";
export * from "./sandbox.js";
export * from "./logs.js";
export * from "./progress.js";
export * from "./builtin-fetchurl.js";
export * from "./register-outputs.js";
export * from "./build-derivation.js";
export * from "./plan.js";
export * from "./scheduler.js";
