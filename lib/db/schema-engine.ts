/**
 * Prisma's migration engine, compiled to WebAssembly (@prisma/schema-engine-wasm).
 *
 * Why: Prisma 7's migrate CLI needs a native `schema-engine` binary that it downloads from Prisma's binary host at
 * install time. Many self-hosted and CI machines cannot reach that host. The same engine ships on npm as WASM, so
 * Custody drives it directly: same `migration.sql` folder format, same `_prisma_migrations` bookkeeping, so a
 * `prisma migrate deploy` run elsewhere agrees with what Custody applied.
 */
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const LOCKFILE = 'provider = "postgresql"\n';

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
};

let wasmReady: Promise<{
  SchemaEngine: { new: (o: unknown, log: (s: string) => void, a: unknown) => Promise<Engine> };
}> | null = null;

async function loadWasm() {
  wasmReady ??= (async () => {
    const bindgen = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg").replace(/\.js$/, ".wasm");
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindgen as never });
    (bindgen as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return bindgen as never;
  })();
  return wasmReady;
}

/** Separate connection fields, not a connectionString: adapter-pg lets a connectionString override the database name. */
export function pgConfigFromUrl(url: string) {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
  };
}

/**
 * When the engine reads a live schema it selects pg_catalog columns of Postgres's internal one-byte `"char"` type
 * (OID 18, e.g. pg_constraint.contype). @prisma/adapter-pg refuses that type ("Column type 'char' could not be
 * deserialized") although the engine wants it as a Character column. So, for the migration tool only, the adapter
 * reads those columns as text and reports them to the engine as Character (driver-adapter-utils ColumnType 6).
 */
const CHARACTER_COLUMN_TYPE = 6;
const INTERNAL_CHAR_OID = 18;
const TEXT_OID = 25;

type Queryable = {
  performIO(q: unknown): Promise<{ fields?: { dataTypeID: number }[]; rows: unknown[] }>;
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: unknown[] }>;
  __custodyInternalCharPatch?: boolean;
};

function readInternalCharAsCharacter(adapter: object) {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as Queryable;
  if (proto.__custodyInternalCharPatch) return;
  proto.__custodyInternalCharPatch = true;
  const charColumns = new WeakMap<object, number[]>();
  const performIO = proto.performIO;
  const queryRaw = proto.queryRaw;
  proto.performIO = async function (this: Queryable, query) {
    const result = await performIO.call(this, query);
    const indexes: number[] = [];
    result.fields?.forEach((field, i) => {
      if (field.dataTypeID === INTERNAL_CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        indexes.push(i);
      }
    });
    if (indexes.length && result.rows) charColumns.set(result.rows, indexes);
    return result;
  };
  proto.queryRaw = async function (this: Queryable, query) {
    const result = await queryRaw.call(this, query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = CHARACTER_COLUMN_TYPE;
    return result;
  };
}

/**
 * @prisma/adapter-pg runs a migration script by splitting it on every ";" — also inside comments and inside the
 * dollar-quoted body of a trigger function, which then fails as "syntax error". Postgres's simple query protocol
 * takes a whole script at once (and runs it as one implicit transaction, so a migration applies all or nothing).
 */
function executeScriptsWhole(adapter: object) {
  const a = adapter as {
    executeScript(script: string): Promise<void>;
    client?: { query(sql: string): Promise<unknown> };
    onError?(e: unknown): never;
  };
  if (!a.client || !a.onError)
    throw new Error("@prisma/adapter-pg changed: its transaction-less client is not where it used to be");
  const { client } = a;
  const onError = a.onError.bind(a);
  a.executeScript = async (script: string) => {
    try {
      await client.query(script);
    } catch (error) {
      onError(error);
    }
  };
}

/**
 * The engine does not close the connections it opened when it is freed, and an open session keeps holding
 * Prisma's migration advisory lock (the next apply then waits ~10 s for it). So every adapter is tracked and
 * disposed when the engine is done.
 */
function migrationAdapterFactory(databaseUrl: string) {
  const pgFactory = new PrismaPg(pgConfigFromUrl(databaseUrl));
  const opened: { dispose(): Promise<void> }[] = [];
  const patched = async <T extends { dispose(): Promise<void> }>(connect: () => Promise<T>) => {
    const adapter = await connect();
    readInternalCharAsCharacter(adapter);
    executeScriptsWhole(adapter);
    opened.push(adapter);
    return adapter;
  };
  return {
    disposeAll: async () => {
      await Promise.allSettled(opened.splice(0).map((a) => a.dispose()));
    },
    provider: pgFactory.provider,
    adapterName: pgFactory.adapterName,
    connect: () => patched(() => pgFactory.connect()),
    connectToShadowDb: () => patched(() => pgFactory.connectToShadowDb()),
  };
}

async function withEngine<T>(databaseUrl: string, schema: string, fn: (engine: Engine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadWasm();
  const factory = migrationAdapterFactory(databaseUrl);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const logs: string[] = [];
  const engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, (line) => logs.push(line), adapter);
  try {
    return await fn(engine);
  } catch (error) {
    throw new Error(`Prisma schema engine: ${describeEngineError(error)}`);
  } finally {
    engine.free();
    await factory.disposeAll();
  }
}

function describeEngineError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null) {
    const e = error as { message?: string; error?: string };
    return e.message ?? e.error ?? JSON.stringify(error);
  }
  return String(error);
}

export async function listMigrationDirectories() {
  let entries: string[] = [];
  try {
    entries = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
  entries.sort();
  return Promise.all(
    entries.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: await readFile(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8") },
      },
    })),
  );
}

async function migrationsList() {
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: LOCKFILE },
    shadowDbInitScript: "",
    migrationDirectories: await listMigrationDirectories(),
  };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/** Apply pending migrations (idempotent). Returns the names applied by this call. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const schema = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(databaseUrl, schema, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await migrationsList(),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  });
}

/**
 * SQL that would bring the database at `databaseUrl` to what schema.prisma declares ("" when they agree).
 * Run against a database the migrations were just applied to, it tells whether schema.prisma and the migrations
 * have drifted apart — and it is how a new migration is written.
 */
export async function diffDatabaseToSchema(databaseUrl: string): Promise<string> {
  const schema = await readFile(SCHEMA_PATH, "utf8");
  return withEngine(databaseUrl, schema, async (engine) => {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: SCHEMA_PATH, content: schema }], configDir: PRISMA_DIR },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? result.stdout : "";
  });
}
