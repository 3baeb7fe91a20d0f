// Keeps a tree being added to the store in memory while its NAR is hashed in the same walk, as long
// as it is small: an already-valid path then costs no writes. A larger tree either goes to disk in
// that same walk or is read a second time once its path is known to be new (the caller decides).

import { NarEventRecorder, type NarEvents } from "./formats/index.js";
import { NarDiskWriter } from "./nar-disk-writer.js";

/**
 * Records the walk's events up to `budget` bytes. Past that it asks `spillWhenLarge`: if yes, it
 * writes what it recorded to `dest` (with the store's canonical metadata), frees it and writes the
 * rest of the walk there as it comes; if no, it frees what it held and keeps nothing. Writing as
 * it reads spares a second open, fstat, read and hash of every file when the path is new; reading
 * twice spares creating (and deleting) every file when the path turns out to be valid already.
 */
export class IngestBuffer implements NarEvents {
  private recorder: NarEventRecorder | null = new NarEventRecorder();
  private disk: NarDiskWriter | null = null;
  private dropped = false;

  constructor(
    private readonly budget: number,
    private readonly dest: Buffer,
    private readonly spillWhenLarge: () => boolean,
  ) {}

  /** Chunks are kept while recording. */
  get transientChunks(): boolean {
    return this.recorder === null;
  }

  /** Whether the tree outgrew the budget and was written to `dest` as it was read. */
  get spilled(): boolean {
    return this.recorder === null && !this.dropped;
  }

  /** Whether the tree outgrew the budget and nothing was kept: it has to be read again. */
  get overflowed(): boolean {
    return this.dropped;
  }

  /** Creates the tree at `dest`: from memory, or (if it spilled) by finishing the writes. */
  writeOut(): void {
    if (this.dropped) throw new Error("IngestBuffer.writeOut: the tree outgrew the memory budget and was not kept");
    if (this.recorder !== null) {
      const out = new NarDiskWriter(this.dest, { canonical: true });
      try {
        this.recorder.replay(out);
      } finally {
        out.abort();
      }
      this.recorder = null;
    }
    this.abort();
  }

  /** Releases a file left open by an interrupted walk (deleting `dest` is the caller's part). */
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
    this.recorder = null;
    if (!this.spillWhenLarge()) {
      this.dropped = true;
      return;
    }
    // Hand over to the disk: what was recorded first (possibly ending inside a file), then the rest.
    this.disk = new NarDiskWriter(this.dest, { canonical: true });
    recorder.replay(this.disk);
  }
}
