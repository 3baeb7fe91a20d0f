// The system layer: profiles and generations, activation, host rebuilds, containers (namespaces,
// network, firewall), version information. See README.md for the system contract.

export * from "./errors.js";
export * from "./roots.js";
export * from "./exec.js";
export * from "./profiles.js";
export * from "./version-info.js";
export * from "./firewall.js";
export * from "./hosts-file.js";
export * from "./toplevel.js";
export * from "./system-builder.js";
export * from "./system-store.js";
export * from "./activation.js";
export * from "./os-rebuild.js";
export * from "./os-version.js";
export * from "./container-config.js";
export * from "./container-paths.js";
export * from "./container-network.js";
export * from "./container-runtime.js";
export * from "./containers.js";
