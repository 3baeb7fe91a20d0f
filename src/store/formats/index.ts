// Pure store formats: base-32, hashes, NAR, store paths and derivations (plus streaming a NAR from disk).

export * from "./errors.js";
export * from "./base32.js";
export * from "./hash.js";
export * from "./nar.js";
export * from "./nar-events.js";
export * from "./nar-fs.js";
export * from "./store-path.js";
export * from "./derivation.js";
