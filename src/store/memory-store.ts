// A store that computes paths without writing to disk: used for read-only evaluation
// (`tix instantiate --eval`), like Nix's read-only mode. Text files are kept in memory.
import type { AddPathOptions, EvalStore } from "../eval/state.js";
import { hashByteString } from "./formats/hash.js";
import { hashFileContents, narFromFileSystem } from "./formats/nar-fs.js";
import { makeFixedOutputPath, makeTextPath, DEFAULT_STORE_DIR } from "./formats/store-path.js";
import { StoreError } from "./errors.js";

interface Entry {
  readonly text: string | null;
  readonly references: readonly string[];
}

export class MemoryStore implements EvalStore {
  private readonly entries = new Map<string, Entry>();
  constructor(readonly storeDir: string = DEFAULT_STORE_DIR) {}

  addPath(path: string, name: string, opts: AddPathOptions): string {
    const file = Buffer.from(path, "latin1");
    const filter = opts.filter;
    const hash = opts.recursive
      ? narFromFileSystem(file, filter ? { filter } : {}).narHash
      : hashFileContents(file, "sha256");
    const storePath = makeFixedOutputPath(name, opts.recursive ? "recursive" : "flat", hash, [], this.storeDir);
    this.entries.set(storePath, { text: null, references: [] });
    return storePath;
  }

  addText(name: string, text: string, references: readonly string[]): string {
    const storePath = makeTextPath(name, hashByteString("sha256", text), references, this.storeDir);
    this.entries.set(storePath, { text, references: [...references] });
    return storePath;
  }

  isValid(path: string): boolean {
    return this.entries.has(path);
  }

  readText(path: string): string {
    const e = this.entries.get(path);
    if (e === undefined || e.text === null) throw new StoreError(`path '${path}' is not valid`);
    return e.text;
  }

  queryReferences(path: string): readonly string[] {
    const e = this.entries.get(path);
    if (e === undefined) throw new StoreError(`path '${path}' is not valid`);
    return e.references;
  }
}
