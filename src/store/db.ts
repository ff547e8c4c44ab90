import type { PrismaClient } from "../generated/prisma/client.js";
import { applyMigrations, type MigrationReport } from "./migrate.js";

export type { PrismaClient };

/** Raw SQL below Prisma: migrations need multi-statement scripts and session-level advisory locks. */
export interface SqlDriver {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` on one connection, so session state (an advisory lock, a transaction) holds across it. */
  withConnection<R>(work: (conn: SqlDriver) => Promise<R>): Promise<R>;
}

/** What a statement outside a transaction needs: Store.queries, Store.intake, or a test's stand-in. */
export type SqlQuery = Pick<SqlDriver, "query">;

export interface Store {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  sql: SqlDriver;
  /**
   * The main query pool without Prisma (the same connections Prisma's adapter uses, so DATABASE_POOL_SIZE
   * bounds both): for the hot statements outside any transaction (the dispatcher's outbox statements, the
   * intake worker's), which Prisma's request path made cost several times the SQL. Never use it from inside
   * a Prisma transaction: it runs on another connection (on PGlite it would wait for that transaction).
   */
  queries: SqlDriver;
  /**
   * A few connections of their own for what a chat platform waits on before its acknowledgement (writing an
   * acknowledged request down): work in the main pool can never make an ack wait for a connection.
   */
  intake: SqlDriver;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (from this process or, on PostgreSQL, any replica); with
   * `othersOnly`, for those sent from other processes' connections only (this process tells itself without
   * a round trip through the database; the embedded database has no other process). Resolves to a function
   * that stops listening. Best effort: callers also poll.
   */
  listen(
    channel: string,
    onNotify: () => void,
    options?: { othersOnly?: boolean },
  ): Promise<() => Promise<void>>;
  /** The pools' connections (PostgreSQL): open, idle, and requests waiting for one; `intake` is the ack's. */
  poolStats?(): { size: number; idle: number; waiting: number; max: number; intake: PoolNumbers };
  close(): Promise<void>;
}

export interface PoolNumbers {
  size: number;
  idle: number;
  waiting: number;
  max: number;
}

/** Connections kept for the ack path (Store.intake), apart from DATABASE_POOL_SIZE. */
export const INTAKE_POOL_SIZE = 4;

export type StoreLocation =
  /** `poolSize`: connections in the main query pool (DATABASE_POOL_SIZE, default 20). */
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string }
  /** In-memory PGlite, for tests; `loadDataDir` clones a template made by `dumpTemplate`. */
  | { kind: "pglite-memory"; loadDataDir?: Blob };

export function storeLocation(config: {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DATABASE_POOL_SIZE?: number;
}): StoreLocation {
  return config.DATABASE_URL
    ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE ?? 20 }
    : { kind: "pglite", dataDir: `${config.DATA_DIR.replace(/\/+$/, "")}/pglite` };
}

/**
 * Each database's driver is loaded only when it is used: a server on PostgreSQL never loads PGlite's
 * WebAssembly build of PostgreSQL, and the embedded one never loads `pg`.
 */
export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "postgres")
    return (await import("./postgres.js")).openPostgres(location.url, location.poolSize ?? 20);
  return (await import("./pglite.js")).openPglite(location);
}

/**
 * A migrated in-memory PGlite, dumped so each test file can start from a copy in well under a second;
 * `onEmpty` receives the same database before its migrations (for the tests of the migrations themselves).
 */
export async function dumpTemplate(onEmpty?: (empty: Blob) => void): Promise<Blob> {
  return (await import("./pglite.js")).dumpTemplate(onEmpty);
}

/** Opens the store and brings its schema up to date (every start does this; it is cheap when current). */
export async function openMigratedStore(
  location: StoreLocation,
): Promise<{ store: Store; migrations: MigrationReport }> {
  const store = await openStore(location);
  try {
    const migrations = await applyMigrations(store.sql);
    return { store, migrations };
  } catch (error) {
    await store.close();
    throw error;
  }
}
