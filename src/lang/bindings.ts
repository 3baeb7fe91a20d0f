// Building the bindings of `{ … }`, `rec { … }` and `let`: nested attribute paths become nested
// sets, set literals for the same name are merged, and duplicates are parse errors (spec §2.3).
import type { AttrDef, AttrName, DynamicAttrDef, Expr, Offset, Source } from "./ast.js";
import { ParseError } from "./errors.js";
import { formatPosition } from "./position.js";
import { showAttrPath, showIdentifier } from "./show.js";

/** The parser's view of an attribute set while it is being built (the AST node, writable). */
export interface AttrsNode {
  readonly kind: "Attrs";
  readonly pos: Offset;
  readonly rec: boolean;
  readonly attrs: AttrDef[];
  /** NO_DYNAMIC until the first dynamic attribute (most sets have none): see addDynamic. */
  dynamic: DynamicAttrDef[];
  /** NO_SOURCES until the first `inherit (e)`: see addInheritSource. */
  inheritFrom: Expr[];
}

// Shared (frozen) empty arrays: most sets have neither dynamic attributes nor `inherit (e)`, and
// two arrays fewer per set is a tenth fewer objects in a typical AST.
const NO_DYNAMIC: DynamicAttrDef[] = Object.freeze([]) as unknown as DynamicAttrDef[];
const NO_SOURCES: Expr[] = Object.freeze([]) as unknown as Expr[];

export function newAttrs(pos: Offset, rec: boolean): AttrsNode {
  return { kind: "Attrs", pos, rec, attrs: [], dynamic: NO_DYNAMIC, inheritFrom: NO_SOURCES };
}

function addDynamic(set: AttrsNode, def: DynamicAttrDef): void {
  if (set.dynamic === NO_DYNAMIC) set.dynamic = [];
  set.dynamic.push(def);
}

/** Appends `inherit (e)` sources; returns the index of the first one. */
function addInheritSources(set: AttrsNode, sources: readonly Expr[]): number {
  const first = set.inheritFrom.length;
  if (sources.length === 0) return first;
  if (set.inheritFrom === NO_SOURCES) set.inheritFrom = [];
  for (const e of sources) set.inheritFrom.push(e);
  return first;
}

/** Name → index into `attrs` for the larger sets of one parse, kept up to date by `insert`. */
type Indexes = Map<AttrsNode, Map<string, number>>;
const INDEX_THRESHOLD = 8;

function lookup(indexes: Indexes, set: AttrsNode, name: string): AttrDef | undefined {
  const attrs = set.attrs;
  if (attrs.length < INDEX_THRESHOLD) {
    for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name === name) return attrs[i];
    return undefined;
  }
  let index = indexes.get(set);
  if (!index) {
    index = new Map();
    for (let i = 0; i < attrs.length; i++) index.set(attrs[i]!.name, i);
    indexes.set(set, index);
  }
  const i = index.get(name);
  return i === undefined ? undefined : attrs[i];
}

function insert(indexes: Indexes, set: AttrsNode, def: AttrDef): void {
  const index = set.attrs.length >= INDEX_THRESHOLD ? indexes.get(set) : undefined;
  if (index) index.set(def.name, set.attrs.length);
  set.attrs.push(def);
}

function isAttrsLiteral(e: Expr): e is AttrsNode & Expr {
  return e.kind === "Attrs";
}

/** Adds static and dynamic definitions to sets, checking for duplicates, for one source file. */
export class BindingsBuilder {
  // A plain Map owned by one parse (a module-level WeakMap made every GC walk its entries).
  private readonly indexes: Indexes = new Map();

  constructor(private readonly source: Source) {}

  private duplicate(path: string, pos: Offset, prevPos: Offset): never {
    throw new ParseError(
      `attribute '${path}' already defined at ${formatPosition(this.source, prevPos)}`,
      this.source,
      pos,
    );
  }

  /** `path = value;` where `pos` is where the attribute path starts. */
  addAttr(set: AttrsNode, path: readonly AttrName[], value: Expr, pos: Offset): void {
    let target = set;
    const last = path.length - 1;
    for (let i = 0; i < last; i++) {
      const component = path[i]!;
      let nested: AttrsNode;
      if (component.kind === "static") {
        const existing = lookup(this.indexes, target, component.name);
        if (existing) {
          if (!isAttrsLiteral(existing.value)) this.duplicate(showAttrPath(path.slice(0, i + 1)), pos, existing.pos);
          nested = existing.value;
        } else {
          nested = newAttrs(pos, false);
          insert(this.indexes, target, { name: component.name, pos, value: nested, inherit: "none" });
        }
      } else {
        nested = newAttrs(pos, false);
        addDynamic(target, { name: component.expr, value: nested, pos });
      }
      target = nested;
    }
    const final = path[last]!;
    if (final.kind === "static") {
      this.addDef(target, path, { name: final.name, pos, value, inherit: "none" });
    } else {
      addDynamic(target, { name: final.expr, value, pos });
    }
  }

  /**
   * Adds one definition; if the name exists and both values are set literals, the new set's
   * contents move into the old one (whose `rec`-ness wins). `path` (ending in the name) is what
   * errors call it.
   */
  private addDef(set: AttrsNode, path: readonly AttrName[], def: AttrDef): void {
    const existing = lookup(this.indexes, set, def.name);
    if (!existing) {
      insert(this.indexes, set, def);
      return;
    }
    const incoming = def.value;
    const target = existing.value;
    if (def.inherit !== "none" || existing.inherit !== "none" || !isAttrsLiteral(incoming) || !isAttrsLiteral(target)) {
      this.duplicate(showAttrPath(path), def.pos, existing.pos);
    }
    const shift = target.inheritFrom.length;
    for (const inner of incoming.attrs) {
      const moved = inner.inherit === "from" && shift > 0 ? shiftInheritSource(inner, shift) : inner;
      this.addDef(target, [...path, { kind: "static", name: inner.name, pos: inner.pos }], moved);
    }
    for (const d of incoming.dynamic) addDynamic(target, d);
    addInheritSources(target, incoming.inheritFrom);
  }

  /** `inherit a b;` (source null) or `inherit (source) a b;` with the names and their positions. */
  addInherit(set: AttrsNode, names: readonly { name: string; pos: Offset }[], from: { expr: Expr; pos: Offset } | null): void {
    let source: Expr | null = null;
    if (from) {
      source = { kind: "InheritSource", pos: from.pos, index: addInheritSources(set, [from.expr]) };
    }
    for (const { name, pos } of names) {
      const existing = lookup(this.indexes, set, name);
      if (existing) this.duplicate(showIdentifier(name), pos, existing.pos);
      const value: Expr = source
        ? { kind: "Select", pos, expr: source, path: [{ kind: "static", name, pos }], default: null }
        : { kind: "Var", pos, name };
      insert(this.indexes, set, { name, pos, value, inherit: source ? "from" : "plain" });
    }
  }
}

/** The same `inherit (e) x` definition, referring to source index + shift. */
function shiftInheritSource(def: AttrDef, shift: number): AttrDef {
  const select = def.value;
  if (select.kind !== "Select" || select.expr.kind !== "InheritSource") return def;
  const source: Expr = { kind: "InheritSource", pos: select.expr.pos, index: select.expr.index + shift };
  return { ...def, value: { ...select, expr: source } };
}
