// Compile-time scopes: which names a frame binds, and in which slots.

/** A compile-time scope; each corresponds to one runtime Env frame. */
export class Scope {
  constructor(
    readonly parent: Scope | null,
    /** Static names and their slots (slots start at 1), or null for a `with` scope. */
    readonly names: Map<string, number> | null,
    /**
     * Whether this scope's frames are ArgFrames or ArgPairs (plain `x: body` lambdas, small
     * `let`s): slot 1 is read as `.a`, slot 2 as `.b`, the parent as `.p`.
     */
    readonly argFrame: boolean = false,
  ) {}

  /** The scope binding `name` lexically and its slot, or null (unbound, or bound only by `with`). */
  resolve(name: string): { scope: Scope; slot: number; depth: number } | null {
    let depth = 0;
    for (let s: Scope | null = this; s !== null; s = s.parent, depth++) {
      if (s.names !== null) {
        const slot = s.names.get(name);
        if (slot !== undefined) return { scope: s, slot, depth };
      }
    }
    return null;
  }
}
