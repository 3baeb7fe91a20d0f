// The store layer's public surface: the pure formats, the local store (disk + SQLite metadata),
// garbage collection and the helpers they share.

export * from "./formats/index.js";
export * from "./errors.js";
export * from "./path-info.js";
export * from "./db.js";
export * from "./local-store.js";
export * from "./gc.js";
export * from "./references.js";
export * from "./nar-restore.js";
export * from "./temp-roots.js";
export { acquireLock, withLock, FileLock, processAlive, type LockOptions } from "./lock.js";
export { canonicaliseTree, deleteTree, STORE_MTIME } from "./canonicalise.js";
export { sleepMs, readFdChunks, readFdAll } from "./sync-io.js";
