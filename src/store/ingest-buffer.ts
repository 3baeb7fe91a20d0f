// Keeps a tree being added to the store in memory while its NAR is hashed in the same walk, as long
// as it is small: an already-valid path then costs no writes. A larger tree goes to disk in that
// same walk, so every tree is read once.

import { NarEventRecorder, type NarEvents } from "./formats/index.js";
import { NarDiskWriter } from "./nar-disk-writer.js";

/**
 * Records the walk's events up to `budget` bytes. Past that it writes what it recorded to
 * `spillTo` (with the store's canonical metadata), frees it and writes the rest of the walk there
 * as it comes: walking a large tree a second time to copy it costs more (a second open, fstat and
 * read of every file, a second hash) than writing and deleting it in the rarer case that its path
 * turns out to be valid already. Nix writes trees past its own buffer size to disk the same way.
 */
export class IngestBuffer implements NarEvents {
  private recorder: NarEventRecorder | null = new NarEventRecorder();
  private disk: NarDiskWriter | null = null;

  constructor(
    private readonly budget: number,
    private readonly spillTo: Buffer,
  ) {}

  /** Chunks are kept while recording. */
  get transientChunks(): boolean {
    return this.recorder === null;
  }

  /** Whether the tree outgrew the budget, so it is (being) written at `spillTo` already. */
  get spilled(): boolean {
    return this.recorder === null;
  }

  /** Creates the tree at `spillTo`: from memory, or (if it spilled) by finishing the writes. */
  writeOut(): void {
    if (this.recorder !== null) {
      const out = new NarDiskWriter(this.spillTo, { canonical: true });
      try {
        this.recorder.replay(out);
      } finally {
        out.abort();
      }
      this.recorder = null;
    }
    this.abort();
  }

  /** Releases a file left open by an interrupted walk (deleting `spillTo` is the caller's part). */
  abort(): void {
    this.disk?.abort();
    this.disk = null;
  }

  regularStart(executable: boolean, size: number): void {
    if (this.disk !== null) return this.disk.regularStart(executable, size);
    this.recorder?.regularStart(executable, size);
    this.checkBudget();
  }
  contents(chunk: Uint8Array): void {
    if (this.disk !== null) return this.disk.contents(chunk);
    this.recorder?.contents(chunk);
    this.checkBudget();
  }
  regularEnd(): void {
    if (this.disk !== null) return this.disk.regularEnd();
    this.recorder?.regularEnd();
  }
  symlink(target: string | Uint8Array): void {
    if (this.disk !== null) return this.disk.symlink(target);
    this.recorder?.symlink(target);
    this.checkBudget();
  }
  directoryStart(): void {
    if (this.disk !== null) return this.disk.directoryStart();
    this.recorder?.directoryStart();
    this.checkBudget();
  }
  entryStart(name: string | Uint8Array): void {
    if (this.disk !== null) return this.disk.entryStart(name);
    this.recorder?.entryStart(name);
    this.checkBudget();
  }
  entryEnd(): void {
    if (this.disk !== null) return this.disk.entryEnd();
    this.recorder?.entryEnd();
  }
  directoryEnd(): void {
    if (this.disk !== null) return this.disk.directoryEnd();
    this.recorder?.directoryEnd();
  }
  finish(): void {
    if (this.disk !== null) return this.disk.finish();
    this.recorder?.finish();
  }

  private checkBudget(): void {
    const recorder = this.recorder;
    if (recorder === null || recorder.size <= this.budget) return;
    // Hand over to the disk: what was recorded first (possibly ending inside a file), then the rest.
    this.recorder = null;
    this.disk = new NarDiskWriter(this.spillTo, { canonical: true });
    recorder.replay(this.disk);
  }
}
