// The local store's SQLite metadata database, in the layout Nix's local store uses (schema 10,
// plus the content-addressed-derivation tables of ca-schema 3), so Nix and tix can share a store.

import * as fs from "node:fs";
import * as path from "node:path";
import type Database from "better-sqlite3";
import { FormatError, hashToBase16, parseHash } from "./formats/index.js";
import type { ValidPathInfo } from "./path-info.js";
import { openSqlite } from "./sqlite.js";


export const SCHEMA_VERSION = 10;
export const CA_SCHEMA_VERSION = 3;

/** The main tables; column names and constraints are what Nix reads and writes. */
const MAIN_SCHEMA = `
create table if not exists ValidPaths (
  id integer primary key autoincrement not null,
  path text unique not null,
  hash text not null,
  registrationTime integer not null,
  deriver text,
  narSize integer,
  ultimate integer,
  sigs text,
  ca text
);
create table if not exists Refs (
  referrer integer not null,
  reference integer not null,
  primary key (referrer, reference),
  foreign key (referrer) references ValidPaths(id) on delete cascade,
  foreign key (reference) references ValidPaths(id) on delete restrict
);
create index if not exists IndexReferrer on Refs(referrer);
create index if not exists IndexReference on Refs(reference);
create trigger if not exists DeleteSelfRefs before delete on ValidPaths
begin
  delete from Refs where referrer = old.id and reference = old.id;
end;
create table if not exists DerivationOutputs (
  drv integer not null,
  id text not null,
  path text not null,
  primary key (drv, id),
  foreign key (drv) references ValidPaths(id) on delete cascade
);
create index if not exists IndexDerivationOutputs on DerivationOutputs(path);
`;

const CA_SCHEMA = `
create table if not exists Realisations (
  id integer primary key autoincrement not null,
  drvPath text not null,
  outputName text not null,
  outputPath integer not null,
  signatures text,
  foreign key (outputPath) references ValidPaths(id) on delete cascade
);
create index if not exists IndexRealisations on Realisations(drvPath, outputName);
create table if not exists RealisationsRefs (
  referrer integer not null,
  realisationReference integer,
  foreign key (referrer) references Realisations(id) on delete cascade,
  foreign key (realisationReference) references Realisations(id) on delete restrict
);
create index if not exists IndexRealisationsRefs on RealisationsRefs(referrer);
create index if not exists IndexRealisationsRefsOnOutputPath on Realisations(outputPath);
`;

export class StoreDbError extends Error {
  override readonly name = "StoreDbError";
}

interface PathRow {
  id: number;
  path: string;
  hash: string;
  registrationTime: number;
  deriver: string | null;
  narSize: number | null;
  ultimate: number | null;
  sigs: string | null;
  ca: string | null;
}

export interface Realisation {
  /** The derivation output id's hash part (`sha256:…` of the derivation modulo). */
  readonly drvHash: string;
  readonly outputName: string;
  readonly outPath: string;
  readonly signatures: readonly string[];
}

function readIntFile(file: string): number | null {
  try {
    const text = fs.readFileSync(file, "utf8").trim();
    const n = Number.parseInt(text, 10);
    if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n)) throw new StoreDbError(`'${file}' is corrupt: '${text}'`);
    return n;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/** Writes `text` to `file` atomically (temp file + rename). */
function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text, { mode: 0o644 });
  fs.renameSync(tmp, file);
}

/**
 * The metadata database of one store, opened from `dbDir` (`<state>/nix/var/nix/db`). Creates it
 * when missing; refuses schemas it does not know. All write methods run inside a transaction.
 */
export class StoreDb {
  readonly db: Database.Database;
  readonly dbDir: string;
  private readonly stmts: ReturnType<StoreDb["prepare"]>;

  constructor(dbDir: string, opts: { readOnly?: boolean } = {}) {
    this.dbDir = dbDir;
    const schemaFile = path.join(dbDir, "schema");
    const dbFile = path.join(dbDir, "db.sqlite");
    if (opts.readOnly) {
      this.db = openSqlite(dbFile, { readonly: true, fileMustExist: true });
      this.configure(true);
      this.checkSchema(readIntFile(schemaFile));
    } else {
      fs.mkdirSync(dbDir, { recursive: true, mode: 0o755 });
      // Nix keeps an (empty) lock file here; create it so Nix finds the layout it expects.
      fs.closeSync(fs.openSync(path.join(dbDir, "big-lock"), "a", 0o600));
      const existing = readIntFile(schemaFile);
      this.checkSchema(existing);
      const fresh = existing === null && !fs.existsSync(dbFile);
      this.db = openSqlite(dbFile);
      this.configure(false, fresh);
      if (existing === null) {
        this.db.exec(`begin immediate; ${MAIN_SCHEMA} commit;`);
        writeFileAtomic(schemaFile, `${SCHEMA_VERSION}`);
      }
      // The content-addressed-derivation tables are made when first written to, as Nix makes them
      // only with `ca-derivations` enabled: a new store gets what Nix 2.8 gives it, and a cold
      // command saves five tables' worth of schema work and a file.
    }
    this.stmts = this.prepare();
  }

  /**
   * Pragmas in one exec (each `pragma()` call prepares a statement). A `fresh` database (the file
   * did not exist) switches to WAL with `synchronous = OFF`, skipping the rollback journal's
   * fsyncs for that empty header write: a crash there leaves an empty file, set up again next
   * time, as the schema file is only written after the schema is committed.
   */
  private configure(readOnly: boolean, fresh = false): void {
    if (readOnly) {
      this.db.exec("pragma busy_timeout = 60000; pragma foreign_keys = ON;");
      return;
    }
    this.db.exec(
      `pragma busy_timeout = 60000; pragma foreign_keys = ON; ${fresh ? "pragma synchronous = OFF;" : ""} ` +
        "pragma journal_mode = WAL; pragma synchronous = NORMAL;",
    );
  }

  private checkSchema(version: number | null): void {
    if (version !== null && version !== SCHEMA_VERSION) {
      throw new StoreDbError(
        version > SCHEMA_VERSION
          ? `the store database has schema version ${version}, newer than the ${SCHEMA_VERSION} tix understands`
          : `the store database has schema version ${version}; tix only understands ${SCHEMA_VERSION} (upgrade it with Nix first)`,
      );
    }
  }

  /** The `ca-schema` version (null: the content-addressed-derivation tables were never made). */
  private caSchemaVersion(): number | null {
    return readIntFile(path.join(this.dbDir, "ca-schema"));
  }

  private ensureCaSchema(): void {
    const version = this.caSchemaVersion();
    // Newer: left alone. Older experimental layouts: tix does not migrate them, nor touch them.
    if (version !== null) return;
    this.db.exec(CA_SCHEMA);
    writeFileAtomic(path.join(this.dbDir, "ca-schema"), `${CA_SCHEMA_VERSION}`);
  }

  private prepare() {
    const db = this.db;
    return {
      byPath: db.prepare<[string], PathRow>("select * from ValidPaths where path = ?"),
      idByPath: db.prepare<[string], { id: number }>("select id from ValidPaths where path = ?"),
      refsOf: db.prepare<[number], { path: string }>(
        "select p.path as path from Refs r join ValidPaths p on p.id = r.reference where r.referrer = ?",
      ),
      referrersOf: db.prepare<[string], { path: string }>(
        "select p.path as path from Refs r join ValidPaths p on p.id = r.referrer where r.reference = (select id from ValidPaths where path = ?)",
      ),
      insert: db.prepare(
        "insert into ValidPaths (path, hash, registrationTime, deriver, narSize, ultimate, sigs, ca) values (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      update: db.prepare("update ValidPaths set hash = ?, registrationTime = ?, deriver = ?, narSize = ?, ultimate = ?, sigs = ?, ca = ? where id = ?"),
      addRef: db.prepare("insert or replace into Refs (referrer, reference) values (?, ?)"),
      deletePath: db.prepare("delete from ValidPaths where path = ?"),
      allPaths: db.prepare<[], { path: string }>("select path from ValidPaths"),
      byHashPart: db.prepare<[string], { path: string }>("select path from ValidPaths where path >= ? limit 1"),
      addDrvOutput: db.prepare("insert or replace into DerivationOutputs (drv, id, path) values (?, ?, ?)"),
      drvOutputs: db.prepare<[string], { id: string; path: string }>(
        "select d.id as id, d.path as path from DerivationOutputs d join ValidPaths v on v.id = d.drv where v.path = ?",
      ),
      validDerivers: db.prepare<[string], { path: string }>(
        "select v.path as path from DerivationOutputs d join ValidPaths v on v.id = d.drv where d.path = ?",
      ),
    };
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one (immediate) transaction; nested calls join the outer transaction. */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).immediate();
  }

  isValid(storePath: string): boolean {
    return this.stmts.idByPath.get(storePath) !== undefined;
  }

  queryPathInfo(storePath: string): ValidPathInfo | null {
    const row = this.stmts.byPath.get(storePath);
    if (row === undefined) return null;
    let narHash;
    try {
      narHash = parseHash(row.hash);
    } catch (e) {
      throw new StoreDbError(`the database has a corrupt hash for '${storePath}': ${(e as FormatError).message}`);
    }
    return {
      path: row.path,
      narHash,
      narSize: row.narSize ?? 0,
      references: this.stmts.refsOf.all(row.id).map((r) => r.path).sort(),
      deriver: row.deriver === "" ? null : row.deriver,
      registrationTime: row.registrationTime,
      ultimate: row.ultimate === 1,
      sigs: row.sigs === null || row.sigs === "" ? [] : row.sigs.split(" "),
      ca: row.ca === "" ? null : row.ca,
    };
  }

  queryReferences(storePath: string): string[] {
    const row = this.stmts.idByPath.get(storePath);
    if (row === undefined) return [];
    return this.stmts.refsOf.all(row.id).map((r) => r.path).sort();
  }

  queryReferrers(storePath: string): string[] {
    return this.stmts.referrersOf.all(storePath).map((r) => r.path).sort();
  }

  queryAllValidPaths(): string[] {
    return this.stmts.allPaths.all().map((r) => r.path);
  }

  /**
   * Whether some valid path is named `name` (`<storeDir>/<hash>-<name>`). A scan of the table, not
   * an index lookup: for decisions about large adds only, where it costs little in comparison.
   */
  hasPathNamed(storeDir: string, name: string): boolean {
    // substr is 1-based: the name starts after the store directory, "/", 32 hash characters and "-".
    const start = storeDir.length + 1 + 32 + 1 + 1;
    const row = this.db.prepare<[number, string], { one: number }>("select 1 as one from ValidPaths where substr(path, ?) = ? limit 1").get(start, name);
    return row !== undefined;
  }

  /** The valid path whose hash part is `hashPart`, if any. */
  queryPathFromHashPart(storeDir: string, hashPart: string): string | null {
    const prefix = `${storeDir}/${hashPart}`;
    const row = this.stmts.byHashPart.get(prefix);
    return row !== undefined && row.path.startsWith(prefix + "-") ? row.path : null;
  }

  /**
   * Registers paths (and their references) in one transaction. Each reference must be valid
   * already or be among `infos`. Re-registering a valid path updates its row.
   * `derivationOutputs` maps `.drv` paths to their output names and paths.
   */
  registerValidPaths(
    infos: readonly ValidPathInfo[],
    derivationOutputs: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(),
  ): void {
    this.transaction(() => {
      const ids = new Map<string, number>();
      for (const info of infos) {
        const values = [
          `sha256:${hashToBase16(info.narHash)}`,
          info.registrationTime,
          info.deriver ?? null,
          info.narSize,
          info.ultimate ? 1 : null,
          info.sigs.length > 0 ? info.sigs.join(" ") : null,
          info.ca ?? null,
        ] as const;
        const existing = this.stmts.idByPath.get(info.path);
        if (existing !== undefined) {
          this.stmts.update.run(...values, existing.id);
          ids.set(info.path, existing.id);
        } else {
          const r = this.stmts.insert.run(info.path, ...values);
          ids.set(info.path, Number(r.lastInsertRowid));
        }
      }
      for (const info of infos) {
        const referrer = ids.get(info.path)!;
        for (const ref of info.references) {
          const id = ids.get(ref) ?? this.stmts.idByPath.get(ref)?.id;
          if (id === undefined) {
            throw new StoreDbError(`cannot register '${info.path}': its reference '${ref}' is not valid`);
          }
          this.stmts.addRef.run(referrer, id);
        }
        const outputs = derivationOutputs.get(info.path);
        if (outputs !== undefined) {
          for (const [name, out] of outputs) this.stmts.addDrvOutput.run(referrer, name, out);
        }
      }
    });
  }

  /** Records that output `outputName` of valid derivation `drvPath` is `outPath`. */
  addDerivationOutput(drvPath: string, outputName: string, outPath: string): void {
    this.transaction(() => {
      const row = this.stmts.idByPath.get(drvPath);
      if (row === undefined) throw new StoreDbError(`derivation '${drvPath}' is not valid`);
      this.stmts.addDrvOutput.run(row.id, outputName, outPath);
    });
  }

  /** Output name → path, as recorded for derivation `drvPath`. */
  queryDerivationOutputs(drvPath: string): Map<string, string> {
    return new Map(this.stmts.drvOutputs.all(drvPath).map((r) => [r.id, r.path]));
  }

  /** The valid derivations that have `outPath` as an output. */
  queryValidDerivers(outPath: string): string[] {
    return this.stmts.validDerivers.all(outPath).map((r) => r.path);
  }

  /**
   * Removes `storePath` from the database. Fails (StoreDbError) while other valid paths refer to
   * it. Returns false if it was not valid.
   */
  invalidatePath(storePath: string): boolean {
    return this.transaction(() => {
      try {
        return this.stmts.deletePath.run(storePath).changes > 0;
      } catch (e) {
        if ((e as { code?: string }).code === "SQLITE_CONSTRAINT_FOREIGNKEY") {
          throw new StoreDbError(`cannot invalidate '${storePath}': it is still referenced by ${this.queryReferrers(storePath).filter((r) => r !== storePath).map((r) => `'${r}'`).join(", ")}`);
        }
        throw e;
      }
    });
  }

  registerRealisation(r: Realisation): void {
    this.ensureCaSchema();
    this.transaction(() => {
      const out = this.stmts.idByPath.get(r.outPath);
      if (out === undefined) throw new StoreDbError(`cannot register realisation: '${r.outPath}' is not valid`);
      this.db
        .prepare("delete from Realisations where drvPath = ? and outputName = ?")
        .run(r.drvHash, r.outputName);
      this.db
        .prepare("insert into Realisations (drvPath, outputName, outputPath, signatures) values (?, ?, ?, ?)")
        .run(r.drvHash, r.outputName, out.id, r.signatures.join(" "));
    });
  }

  queryRealisation(drvHash: string, outputName: string): Realisation | null {
    if (this.caSchemaVersion() === null) return null;
    const row = this.db
      .prepare<[string, string], { outPath: string; signatures: string | null }>(
        "select v.path as outPath, r.signatures as signatures from Realisations r join ValidPaths v on v.id = r.outputPath where r.drvPath = ? and r.outputName = ?",
      )
      .get(drvHash, outputName);
    if (row === undefined) return null;
    return { drvHash, outputName, outPath: row.outPath, signatures: row.signatures ? row.signatures.split(" ") : [] };
  }
}
