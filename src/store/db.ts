import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { acquireDataDirLock, type DataDirLock } from "./dataDirLock.js";
import { applyMigrations, type MigrationReport } from "./migrate.js";

export type { PrismaClient };

/** Raw SQL below Prisma: migrations need multi-statement scripts and session-level advisory locks. */
export interface SqlDriver {
  exec(sql: string): Promise<void>;
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` on one connection, so session state (an advisory lock, a transaction) holds across it. */
  withConnection<R>(work: (conn: SqlDriver) => Promise<R>): Promise<R>;
}

export interface Store {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  sql: SqlDriver;
  /**
   * A few connections of their own for what a chat platform waits on before its acknowledgement (writing an
   * acknowledged request down): work in the main pool can never make an ack wait for a connection.
   */
  intake: SqlDriver;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (from this process or, on PostgreSQL, any replica).
   * Resolves to a function that stops listening. Best effort: callers also poll.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
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

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.kind === "postgres") return openPostgres(location.url, location.poolSize ?? 20);
  return openPglite(location);
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

async function openPostgres(url: string, poolSize: number): Promise<Store> {
  // A small separate pool for migrations and locks; Prisma's adapter keeps its own pool for queries.
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // An idle connection the server drops (restart, failover) must not crash the process; it is replaced on next use.
  pool.on("error", () => undefined);
  const sql = poolDriver(pool);
  // Fail fast with a connection error, before anything else starts (and leave no pool behind).
  await sql.query("select 1").catch(async (error) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  const queries = new pg.Pool({ connectionString: url, max: poolSize });
  queries.on("error", () => undefined); // an idle connection dropped by the server is replaced on next use
  const intake = new pg.Pool({ connectionString: url, max: INTAKE_POOL_SIZE });
  intake.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(queries) });
  const listeners: (() => Promise<void>)[] = [];
  return {
    prisma,
    kind: "postgres",
    sql,
    intake: poolDriver(intake),
    poolStats: () => ({ ...numbers(queries), intake: numbers(intake) }),
    async listen(channel, onNotify) {
      const stop = await listenPostgres(url, channel, onNotify);
      listeners.push(stop);
      return stop;
    },
    async close() {
      await Promise.all(listeners.map((stop) => stop()));
      await prisma.$disconnect();
      await queries.end().catch(() => undefined);
      await intake.end().catch(() => undefined);
      await pool.end();
    },
  };
}

function numbers(pool: pg.Pool): PoolNumbers {
  return {
    size: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  };
}

/** A connection of its own for LISTEN, reconnected after a failure (callers poll meanwhile). */
async function listenPostgres(url: string, channel: string, onNotify: () => void) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on("error", () => {
      next.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect().catch(() => undefined), 5_000);
    });
    await next.connect();
    await next.query(`LISTEN "${channel.replaceAll('"', "")}"`);
    client = next;
    onNotify(); // anything missed while not listening is picked up by one fresh look
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}

function poolDriver(pool: pg.Pool): SqlDriver {
  return {
    async exec(text) {
      await pool.query(text);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await pool.query(text, params)).rows as T[];
    },
    async withConnection(work) {
      const client = await pool.connect();
      try {
        return await work(clientDriver(client));
      } finally {
        client.release();
      }
    },
  };
}

function clientDriver(client: pg.PoolClient): SqlDriver {
  const driver: SqlDriver = {
    async exec(text) {
      await client.query(text);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as T[];
    },
    withConnection: (work) => work(driver),
  };
  return driver;
}

async function openPglite(location: Exclude<StoreLocation, { kind: "postgres" }>): Promise<Store> {
  let lock: DataDirLock | undefined;
  let db: PGlite;
  if (location.kind === "pglite") {
    mkdirSync(location.dataDir, { recursive: true });
    // PGlite is one process's database: a second process on the same folder would corrupt it.
    lock = acquireDataDirLock(location.dataDir);
    db = new PGlite(location.dataDir);
  } else {
    db = new PGlite(location.loadDataDir ? { loadDataDir: location.loadDataDir } : {});
  }
  await db.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql: SqlDriver = {
    async exec(text) {
      await db.exec(text);
    },
    async query<T>(text: string, params: unknown[] = []) {
      return (await db.query<T>(text, params)).rows;
    },
    // PGlite has exactly one connection.
    withConnection: (work) => work(sql),
  };
  return {
    prisma,
    kind: "pglite",
    sql,
    intake: sql,
    listen: (channel, onNotify) => db.listen(channel, () => onNotify()).then((stop) => () => stop()),
    async close() {
      await prisma.$disconnect();
      await db.close();
      lock?.release();
    },
  };
}

/** A migrated in-memory PGlite, dumped so each test file can start from a copy in well under a second. */
export async function dumpTemplate(): Promise<Blob> {
  const db = new PGlite();
  await db.waitReady;
  await applyMigrations({
    exec: async (t) => void (await db.exec(t)),
    query: async <T>(t: string, p: unknown[] = []) => (await db.query<T>(t, p)).rows,
    withConnection(work) {
      return work(this);
    },
  });
  const dump = await db.dumpDataDir("none");
  await db.close();
  return dump;
}
