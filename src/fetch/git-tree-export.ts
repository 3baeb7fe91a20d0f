// Adding a commit's tree to the store straight from the repository's objects, as the NAR that
// `git archive` unpacked and added would give (no `git` process, no temporary copy), for the
// trees where the two are certainly the same: no `.gitattributes` (export-ignore, export-subst,
// end-of-line and smudge filters), no submodule entries, no configuration that changes what
// `git archive` writes (autocrlf, eol, tar.umask, attribute files, includes).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NarWriter } from "../store/formats/nar.js";
import { hashToSri } from "../store/formats/index.js";
import type { FetchContext } from "./types.js";
import type { AddedTree } from "./util.js";
import { GitUnsupported, type GitObjectReader } from "./git-objects.js";

let plainConfig: boolean | undefined;

/**
 * Whether the user's and the system's git configuration leave `git archive` output alone
 * (checked once per process: it reads a few small files).
 */
export function gitArchiveIsPlain(): boolean {
  if (plainConfig !== undefined) return plainConfig;
  plainConfig = computePlainConfig();
  return plainConfig;
}

/** The configuration keys (lower case) that make an archive differ from the committed bytes. */
const ARCHIVE_CONFIG = /autocrlf|\beol\b|attributesfile|umask|\[\s*include/;

function computePlainConfig(): boolean {
  const env = process.env;
  if (env.GIT_CONFIG_PARAMETERS !== undefined || env.GIT_CONFIG_COUNT !== undefined) return false;
  const home = env.HOME ?? os.homedir();
  const xdg = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : path.join(home, ".config");
  const configs: string[] = [];
  if (env.GIT_CONFIG_NOSYSTEM === undefined || env.GIT_CONFIG_NOSYSTEM === "" || env.GIT_CONFIG_NOSYSTEM === "0") {
    configs.push(env.GIT_CONFIG_SYSTEM ?? "/etc/gitconfig");
  }
  if (env.GIT_CONFIG_GLOBAL !== undefined) configs.push(env.GIT_CONFIG_GLOBAL);
  else configs.push(path.join(home, ".gitconfig"), path.join(xdg, "git", "config"));
  for (const f of configs) {
    if (!configIsPlain(f)) return false;
  }
  // Attribute files outside the tree (core.attributesFile's default, the system-wide one).
  for (const f of [path.join(xdg, "git", "attributes"), "/etc/gitattributes"]) {
    if (fs.existsSync(f)) return false;
  }
  return true;
}

/** A configuration file (missing is fine) that sets none of ARCHIVE_CONFIG. */
export function configIsPlain(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, "latin1");
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
  return !ARCHIVE_CONFIG.test(text.toLowerCase());
}

/** Adds the tree `treeId` to the store as a source path named `name`; GitUnsupported if not plain. */
export function addGitTreeToStore(ctx: FetchContext, reader: GitObjectReader, treeId: string, name: string): AddedTree {
  if (!configIsPlain(path.join(reader.gitDir, "config")) || fs.existsSync(path.join(reader.gitDir, "info", "attributes"))) {
    throw new GitUnsupported("the repository's configuration or attributes may change the archive");
  }
  const info = ctx.store.addNarToStore(
    (sink) => {
      const writer = new NarWriter(sink);
      writeTree(reader, treeId, writer);
      writer.finish();
    },
    { name },
  );
  return { storePath: info.path, narHash: hashToSri(info.narHash) };
}

function writeTree(reader: GitObjectReader, treeId: string, writer: NarWriter): void {
  // Git orders a directory `a` as `a/`; the NAR orders plain bytes.
  const entries = reader.tree(treeId).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  writer.directoryStart();
  for (const e of entries) {
    if (e.name === ".gitattributes") throw new GitUnsupported("the tree has .gitattributes");
    writer.entryStart(e.name);
    switch (e.mode) {
      case "40000":
        writeTree(reader, e.id, writer);
        break;
      case "100644":
      case "100755": {
        const data = reader.readTyped(e.id, "blob");
        writer.regularStart(e.mode === "100755", data.length);
        writer.contents(data);
        writer.regularEnd();
        break;
      }
      case "120000":
        writer.symlink(reader.readTyped(e.id, "blob"));
        break;
      default:
        throw new GitUnsupported(`tree entry '${e.name}' has mode ${e.mode}`);
    }
    writer.entryEnd();
  }
  writer.directoryEnd();
}
