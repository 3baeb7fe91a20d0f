// The event view of a NAR (node starts and ends, file contents, entry names): lets one walk of a
// tree feed several consumers at once (a hasher, a copy on disk), and keeps a walk in memory to
// replay later.

/**
 * Receives a NAR as events, in NAR order: a node is `regularStart` + `contents`* + `regularEnd`, or
 * `symlink`, or `directoryStart` + (`entryStart(name)` node `entryEnd`)* + `directoryEnd`; then
 * `finish` once the root node is complete. Names and targets are byte strings or raw bytes.
 */
export interface NarEvents {
  /** True when a `contents` chunk is no longer needed once the call returns (its memory may be reused). */
  readonly transientChunks: boolean;
  regularStart(executable: boolean, size: number): void;
  contents(chunk: Uint8Array): void;
  regularEnd(): void;
  symlink(target: string | Uint8Array): void;
  directoryStart(): void;
  entryStart(name: string | Uint8Array): void;
  entryEnd(): void;
  directoryEnd(): void;
  finish(): void;
}

/** Forwards every event to each target in turn (the first one to throw stops the event). */
export class NarTee implements NarEvents {
  constructor(private readonly targets: readonly NarEvents[]) {}

  get transientChunks(): boolean {
    for (const t of this.targets) if (!t.transientChunks) return false;
    return true;
  }

  regularStart(executable: boolean, size: number): void {
    for (const t of this.targets) t.regularStart(executable, size);
  }
  contents(chunk: Uint8Array): void {
    for (const t of this.targets) t.contents(chunk);
  }
  regularEnd(): void {
    for (const t of this.targets) t.regularEnd();
  }
  symlink(target: string | Uint8Array): void {
    for (const t of this.targets) t.symlink(target);
  }
  directoryStart(): void {
    for (const t of this.targets) t.directoryStart();
  }
  entryStart(name: string | Uint8Array): void {
    for (const t of this.targets) t.entryStart(name);
  }
  entryEnd(): void {
    for (const t of this.targets) t.entryEnd();
  }
  directoryEnd(): void {
    for (const t of this.targets) t.directoryEnd();
  }
  finish(): void {
    for (const t of this.targets) t.finish();
  }
}

const enum Op {
  RegularStart,
  Contents,
  RegularEnd,
  Symlink,
  DirectoryStart,
  EntryStart,
  EntryEnd,
  DirectoryEnd,
  Finish,
}

/** Rough bookkeeping cost of one recorded event, so trees of many empty files count too. */
const EVENT_OVERHEAD = 64;

/** Keeps events (and the contents chunks it is handed, uncopied) in memory, to replay them later. */
export class NarEventRecorder implements NarEvents {
  readonly transientChunks = false;
  private readonly ops: Op[] = [];
  /** One argument per op that has one (executable flag and size take two slots). */
  private readonly args: unknown[] = [];
  private bytes = 0;

  /** Approximate memory held: contents, names, targets and per-event overhead. */
  get size(): number {
    return this.bytes;
  }

  regularStart(executable: boolean, size: number): void {
    this.ops.push(Op.RegularStart);
    this.args.push(executable, size);
    this.bytes += EVENT_OVERHEAD;
  }
  contents(chunk: Uint8Array): void {
    this.ops.push(Op.Contents);
    this.args.push(chunk);
    this.bytes += EVENT_OVERHEAD + chunk.length;
  }
  regularEnd(): void {
    this.ops.push(Op.RegularEnd);
    this.bytes += EVENT_OVERHEAD;
  }
  symlink(target: string | Uint8Array): void {
    this.ops.push(Op.Symlink);
    this.args.push(typeof target === "string" ? target : Buffer.from(target));
    this.bytes += EVENT_OVERHEAD + target.length;
  }
  directoryStart(): void {
    this.ops.push(Op.DirectoryStart);
    this.bytes += EVENT_OVERHEAD;
  }
  entryStart(name: string | Uint8Array): void {
    this.ops.push(Op.EntryStart);
    this.args.push(typeof name === "string" ? name : Buffer.from(name));
    this.bytes += EVENT_OVERHEAD + name.length;
  }
  entryEnd(): void {
    this.ops.push(Op.EntryEnd);
    this.bytes += EVENT_OVERHEAD;
  }
  directoryEnd(): void {
    this.ops.push(Op.DirectoryEnd);
    this.bytes += EVENT_OVERHEAD;
  }
  finish(): void {
    this.ops.push(Op.Finish);
  }

  /** Sends the recorded events to `target`, in order. */
  replay(target: NarEvents): void {
    const args = this.args;
    let a = 0;
    for (const op of this.ops) {
      switch (op) {
        case Op.RegularStart:
          target.regularStart(args[a] as boolean, args[a + 1] as number);
          a += 2;
          break;
        case Op.Contents:
          target.contents(args[a++] as Uint8Array);
          break;
        case Op.RegularEnd:
          target.regularEnd();
          break;
        case Op.Symlink:
          target.symlink(args[a++] as string | Uint8Array);
          break;
        case Op.DirectoryStart:
          target.directoryStart();
          break;
        case Op.EntryStart:
          target.entryStart(args[a++] as string | Uint8Array);
          break;
        case Op.EntryEnd:
          target.entryEnd();
          break;
        case Op.DirectoryEnd:
          target.directoryEnd();
          break;
        case Op.Finish:
          target.finish();
          break;
      }
    }
  }
}
