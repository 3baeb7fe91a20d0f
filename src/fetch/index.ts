// The fetchers: inputs described by attributes (git, path, tarball, file, github, gitlab, sourcehut)
// fetched into the store, plus the evaluator's fetch builtins.

export * from "./types.js";
export * from "./errors.js";
export * from "./context.js";
export { fetchTree, isLockedInput, INPUT_TYPES } from "./fetch-tree.js";
export { parseInputUrl, inputToUrl } from "./input-url.js";
export { makeFetchBuiltins } from "./builtins.js";
export { download, downloadText, type Downloaded, type DownloadOptions } from "./download.js";
export { downloadTarball, downloadFile, type DownloadedTree, type DownloadedFile } from "./tarball.js";
export { unpackArchive, type UnpackResult } from "./archive.js";
export { localGitPath } from "./git.js";
export { formatDate } from "./util.js";
