// The evaluation cache: what attributes of a locked flake's outputs evaluated to (child names,
// strings with context, Booleans, integers, the type of anything else), in SQLite, keyed by the
// flake's fingerprint, so `flake show` and `build` of an unchanged flake need no evaluation.
// Cursors walk the outputs and consult the cache first; a miss evaluates and records.

import * as fs from "node:fs";
import * as path from "node:path";
import type Database from "better-sqlite3";
import { EvalError } from "../eval/errors.js";
import { openSqlite } from "../store/sqlite.js";
import { Attrs, NixPath, NixString, Thunk, typeOf, type Value } from "../eval/value.js";

export type CachedValue =
  | { readonly t: "attrs"; readonly names: readonly string[] }
  | { readonly t: "string"; readonly s: string; readonly ctx: readonly string[] }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "int"; readonly v: number }
  /** A list recorded as strings (contexts dropped) once someone asked for it as such. */
  | { readonly t: "strings"; readonly v: readonly string[] }
  /** Lists, functions, floats, null, paths: only the type is kept. */
  | { readonly t: "other"; readonly type: string };


const SCHEMA = `
create table if not exists Attributes (
  fingerprint text not null,
  path text not null,
  value text not null,
  primary key (fingerprint, path)
);
create table if not exists Rendered (
  fingerprint text not null,
  key text not null,
  value text not null,
  primary key (fingerprint, key)
);
create table if not exists LockedSources (
  key text primary key not null,
  stamp text not null,
  value text not null
);
`;

/** Flakes with at most this many cached attributes are read in one query on first use. */
const PRELOAD_LIMIT = 20000;

/** One SQLite file (`<cacheDir>/eval-cache-v1.sqlite`) holding the attributes of many flakes. */
export class EvalCacheDb {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement;
  private readonly allStmt: Database.Statement;
  private getSourceStmt: Database.Statement | undefined;
  /** Every cached attribute of a (small) flake, by path: one query instead of one per attribute. */
  private readonly preloaded = new Map<string, Map<string, string> | null>();
  /**
   * This run's new rows, written by close() in one short transaction: a cold `flake show` records
   * ~600 attributes, and a statement execution per row (inside a write transaction held for the
   * whole run, which made other processes' writes fail) cost more than the evaluation they saved.
   */
  private readonly pending: PendingRows = { Attributes: [], Rendered: [], LockedSources: [] };

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = openSqlite(file);
    // `synchronous` first: a new file then switches to WAL without the rollback journal's three
    // fsyncs. One exec and one transaction for the schema: a cold run creates this file.
    this.db.exec(`pragma synchronous = OFF; pragma journal_mode = WAL; begin; ${SCHEMA} commit;`);
    this.getStmt = this.db.prepare("select value from Attributes where fingerprint = ? and path = ?");
    this.allStmt = this.db.prepare("select path, value from Attributes where fingerprint = ? limit ?").raw(true);
  }

  /** All attributes of `fingerprint`, or null when there are too many to hold. */
  private all(fingerprint: string): Map<string, string> | null {
    let m = this.preloaded.get(fingerprint);
    if (m === undefined) {
      const rows = this.allStmt.all(fingerprint, PRELOAD_LIMIT + 1) as [string, string][];
      m = rows.length > PRELOAD_LIMIT ? null : new Map(rows);
      this.preloaded.set(fingerprint, m);
    }
    return m;
  }

  get(fingerprint: string, attrPath: readonly string[]): CachedValue | undefined {
    const key = attrPath.join("\0");
    const all = this.all(fingerprint);
    let value: string | undefined;
    if (all !== null) value = all.get(key);
    else value = (this.getStmt.get(fingerprint, key) as { value: string } | undefined)?.value;
    return value === undefined ? undefined : (JSON.parse(value) as CachedValue);
  }

  put(fingerprint: string, attrPath: readonly string[], value: CachedValue): void {
    const key = attrPath.join("\0");
    const text = JSON.stringify(value);
    this.pending.Attributes.push(fingerprint, key, text);
    this.preloaded.get(fingerprint)?.set(key, text);
  }

  /** Whether anything is recorded under `key` (see getLockedSource), whatever its stamp. */
  hasLockedSource(key: string): boolean {
    this.getSourceStmt ??= this.db.prepare("select stamp, value from LockedSources where key = ?").raw(true);
    return this.getSourceStmt.get(key) !== undefined;
  }

  /**
   * What locking a local flake gave when its tree had `stamp` (see source-stamp.ts), recorded
   * under `key` (the reference and whatever else the result depends on); undefined when nothing
   * is recorded or the tree has changed since.
   */
  getLockedSource(key: string, stamp: string): string | undefined {
    this.getSourceStmt ??= this.db.prepare("select stamp, value from LockedSources where key = ?").raw(true);
    const row = this.getSourceStmt.get(key) as [string, string] | undefined;
    return row !== undefined && row[0] === stamp ? row[1] : undefined;
  }

  /**
   * What a command printed about a flake's outputs (`flake show`'s tree), under `key` (the
   * command and the options that change its output): a pure function of the outputs, so of the
   * fingerprint.
   */
  getRendered(fingerprint: string, key: string): string | undefined {
    return this.db.prepare("select value from Rendered where fingerprint = ? and key = ?").pluck().get(fingerprint, key) as string | undefined;
  }

  putRendered(fingerprint: string, key: string, value: string): void {
    this.pending.Rendered.push(fingerprint, key, value);
  }

  putLockedSource(key: string, stamp: string, value: string): void {
    this.pending.LockedSources.push(key, stamp, value);
  }

  /** Writes this run's rows (all or none: one transaction) and closes the file. */
  close(): void {
    try {
      writePending(this.db, this.pending);
    } catch {
      // Another process holds the cache for writing: this run just does not record.
    } finally {
      this.db.close();
    }
  }
}

/** New rows by table, three columns a row, flattened (the order of insert statements' parameters). */
interface PendingRows {
  readonly Attributes: string[];
  readonly Rendered: string[];
  readonly LockedSources: string[];
}

const COLUMNS: Record<keyof PendingRows, string> = {
  Attributes: "fingerprint, path, value",
  Rendered: "fingerprint, key, value",
  LockedSources: "key, stamp, value",
};

/** Rows per insert statement: few executions, and one prepared statement for all full chunks. */
const ROWS_PER_INSERT = 64;

function insertRows(db: Database.Database, table: keyof PendingRows, rows: number): Database.Statement {
  const values = new Array<string>(rows).fill("(?, ?, ?)").join(", ");
  return db.prepare(`insert or replace into ${table} (${COLUMNS[table]}) values ${values}`);
}

function writePending(db: Database.Database, pending: PendingRows): void {
  const tables = (Object.keys(pending) as (keyof PendingRows)[]).filter((t) => pending[t].length > 0);
  if (tables.length === 0) return;
  // Rows later in a run replace earlier ones with the same key, as separate inserts did.
  db.transaction(() => {
    for (const table of tables) {
      const flat = pending[table];
      const chunk = ROWS_PER_INSERT * 3;
      let full: Database.Statement | undefined;
      let at = 0;
      for (; at + chunk <= flat.length; at += chunk) {
        full ??= insertRows(db, table, ROWS_PER_INSERT);
        full.run(flat.slice(at, at + chunk));
      }
      if (at < flat.length) insertRows(db, table, (flat.length - at) / 3).run(flat.slice(at));
    }
  }).immediate();
}

/** What a cursor tree needs: the cache (absent for dirty or impure evaluation) and the root value. */
export interface CursorRoot {
  readonly cache: { readonly db: EvalCacheDb; readonly fingerprint: string } | null;
  /** Evaluates the root (the flake's `outputs`), only on a cache miss. */
  readonly rootValue: () => Value;
  /** Whether a store path mentioned in a cached string's context still exists. */
  readonly isValidPath: (storePath: string) => boolean;
}

function force(v: Value): Value {
  return v instanceof Thunk ? v.force() : v;
}

function storePathOfContext(c: string): string {
  if (c.startsWith("=")) return c.slice(1);
  if (c.startsWith("!")) return c.slice(c.indexOf("!", 1) + 1);
  return c;
}

/** A position in the outputs tree (an attribute path), evaluated lazily. */
export class AttrCursor {
  private forced: Value | undefined;
  private cachedValue: CachedValue | undefined;
  private nameSet: { readonly names: readonly string[]; readonly set: ReadonlySet<string> } | undefined;

  constructor(
    readonly root: CursorRoot,
    readonly attrPath: readonly string[],
    private readonly parent: AttrCursor | null,
  ) {}

  static root(root: CursorRoot): AttrCursor {
    return new AttrCursor(root, [], null);
  }

  /** The evaluated value (never from the cache). */
  value(): Value {
    if (this.forced !== undefined) return this.forced;
    let v: Value;
    if (this.parent === null) v = force(this.root.rootValue());
    else {
      const p = this.parent.value();
      if (!(p instanceof Attrs)) throw new EvalError(`'${this.parent.attrPath.join(".")}' is not an attribute set`);
      const c = p.get(this.attrPath[this.attrPath.length - 1]!);
      if (c === undefined) throw new EvalError(`attribute '${this.attrPath.join(".")}' missing`);
      v = force(c);
    }
    this.forced = v;
    return v;
  }

  private lookup(): CachedValue | undefined {
    if (this.cachedValue !== undefined) return this.cachedValue;
    const c = this.root.cache;
    if (c === null) return undefined;
    const hit = c.db.get(c.fingerprint, this.attrPath);
    if (hit !== undefined && hit.t === "string" && !hit.ctx.every((x) => this.root.isValidPath(storePathOfContext(x)))) return undefined;
    this.cachedValue = hit;
    return hit;
  }

  /** Evaluates and records a summary of the value. */
  evaluate(): CachedValue {
    const v = this.value();
    let cv: CachedValue;
    if (v instanceof Attrs) cv = { t: "attrs", names: v.sortedNames() };
    else if (typeof v === "string") cv = { t: "string", s: v, ctx: [] };
    else if (v instanceof NixString) cv = { t: "string", s: v.s, ctx: [...v.ctx].sort() };
    else if (typeof v === "boolean") cv = { t: "bool", v };
    else if (typeof v === "number") cv = { t: "int", v };
    else cv = { t: "other", type: v instanceof NixPath ? "path" : typeOf(v) };
    this.cachedValue = cv;
    const c = this.root.cache;
    if (c !== null) c.db.put(c.fingerprint, this.attrPath, cv);
    return cv;
  }

  /** The summary, from the cache or by evaluating. */
  get(): CachedValue {
    return this.lookup() ?? this.evaluate();
  }

  /** Child names, or undefined when this is not an attribute set. */
  attrNames(): readonly string[] | undefined {
    const c = this.get();
    return c.t === "attrs" ? c.names : undefined;
  }

  /** The child cursor, or undefined when there is no such attribute. */
  maybeGetAttr(name: string): AttrCursor | undefined {
    const names = this.attrNames();
    if (names === undefined) return undefined;
    // A set of the names for large sets: `flake show` asks for each of a package set's members.
    if (names.length > 16) {
      if (this.nameSet?.names !== names) this.nameSet = { names, set: new Set(names) };
      if (!this.nameSet.set.has(name)) return undefined;
    } else if (!names.includes(name)) return undefined;
    return new AttrCursor(this.root, [...this.attrPath, name], this);
  }

  /** Follows a path; undefined when some element is missing or not in an attribute set. */
  findAlongAttrPath(p: readonly string[]): AttrCursor | undefined {
    let cur: AttrCursor | undefined = this;
    for (const name of p) {
      cur = cur.maybeGetAttr(name);
      if (cur === undefined) return undefined;
    }
    return cur;
  }

  /** A string (with context) value, or undefined when it is something else. */
  getString(): NixString | string | undefined {
    const c = this.get();
    if (c.t !== "string") return undefined;
    return c.ctx.length === 0 ? c.s : new NixString(c.s, new Set(c.ctx));
  }

  /**
   * A list of strings (contexts dropped), from the cache or by evaluating and recording it, like
   * `meta.outputsToInstall`; undefined when the value is not a list of strings.
   */
  getListOfStrings(): readonly string[] | undefined {
    const hit = this.lookup();
    if (hit !== undefined && hit.t === "strings") return hit.v;
    if (hit !== undefined && !(hit.t === "other" && hit.type === "list")) return undefined;
    const v = this.value();
    if (!Array.isArray(v)) return undefined;
    const strings: string[] = [];
    for (const x of v as readonly Value[]) {
      const s = force(x);
      if (typeof s === "string") strings.push(s);
      else if (s instanceof NixString) strings.push(s.s);
      else return undefined;
    }
    const cv: CachedValue = { t: "strings", v: strings };
    this.cachedValue = cv;
    const c = this.root.cache;
    if (c !== null) c.db.put(c.fingerprint, this.attrPath, cv);
    return strings;
  }

  /** `type == "derivation"`. */
  isDerivation(): boolean {
    return this.typeString() === "derivation";
  }

  /** The string in this set's `type` attribute, if any. */
  typeString(): string | undefined {
    if (this.attrNames() === undefined) return undefined;
    const t = this.maybeGetAttr("type");
    if (t === undefined) return undefined;
    const s = t.getString();
    return s === undefined ? undefined : typeof s === "string" ? s : s.s;
  }
}
