// Keeps a tree being added to the store in memory while its NAR is hashed in the same walk, as long
// as it is small: an already-valid path then costs no writes, and a new one no second read.

import { NarEventRecorder, type NarEvents } from "./formats/index.js";
import { NarDiskWriter } from "./nar-disk-writer.js";

/**
 * Records the walk's events up to `budget` bytes. Past that it stops recording (and frees what it
 * held): copying a large tree before knowing whether its store path is already valid would cost far
 * more than walking it a second time when it is not.
 */
export class IngestBuffer implements NarEvents {
  private recorder: NarEventRecorder | null = new NarEventRecorder();

  constructor(private readonly budget: number) {}

  /** Chunks are kept while recording. */
  get transientChunks(): boolean {
    return this.recorder === null;
  }

  /** Whether the tree outgrew the budget, so `writeTo` cannot be used. */
  get overflowed(): boolean {
    return this.recorder === null;
  }

  /** Creates the recorded tree at `dest` with the store's canonical metadata. */
  writeTo(dest: Buffer): void {
    if (this.recorder === null) throw new Error("IngestBuffer.writeTo: the tree outgrew the memory budget");
    const out = new NarDiskWriter(dest, { canonical: true });
    try {
      this.recorder.replay(out);
    } finally {
      out.abort();
    }
  }

  regularStart(executable: boolean, size: number): void {
    this.recorder?.regularStart(executable, size);
    this.checkBudget();
  }
  contents(chunk: Uint8Array): void {
    this.recorder?.contents(chunk);
    this.checkBudget();
  }
  regularEnd(): void {
    this.recorder?.regularEnd();
  }
  symlink(target: string | Uint8Array): void {
    this.recorder?.symlink(target);
    this.checkBudget();
  }
  directoryStart(): void {
    this.recorder?.directoryStart();
    this.checkBudget();
  }
  entryStart(name: string | Uint8Array): void {
    this.recorder?.entryStart(name);
    this.checkBudget();
  }
  entryEnd(): void {
    this.recorder?.entryEnd();
  }
  directoryEnd(): void {
    this.recorder?.directoryEnd();
  }
  finish(): void {
    this.recorder?.finish();
  }

  private checkBudget(): void {
    if (this.recorder !== null && this.recorder.size > this.budget) this.recorder = null;
  }
}
