import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import { INTAKE_POOL_SIZE, type Store } from "./db.js";
import { openPool, poolDriver, poolNumbers } from "./pgPool.js";

export async function openPostgres(url: string, poolSize: number): Promise<Store> {
  // A small separate pool for migrations and locks; Prisma's adapter keeps its own pool for queries.
  const pool = openPool(url, 2);
  const own = new Set<number>();
  trackBackends(pool, own);
  const sql = poolDriver(pool);
  // Fail fast with a connection error, before anything else starts (and leave no pool behind).
  await sql.query("select 1").catch(async (error) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  const queries = openPool(url, poolSize);
  const intake = openPool(url, INTAKE_POOL_SIZE);
  trackBackends(queries, own);
  trackBackends(intake, own);
  const prisma = new PrismaClient({ adapter: new PrismaPg(queries) });
  const listeners: (() => Promise<void>)[] = [];
  return {
    prisma,
    kind: "postgres",
    sql,
    queries: poolDriver(queries),
    intake: poolDriver(intake),
    poolStats: () => ({ ...poolNumbers(queries), intake: poolNumbers(intake) }),
    async listen(channel, onNotify, options) {
      const fromOthers = (pid: number) => !own.has(pid);
      const stop = await listenPostgres(
        url,
        channel,
        onNotify,
        options?.othersOnly ? fromOthers : () => true,
      );
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

/**
 * Keeps in `pids` the server processes (backend pids) behind a pool's connections: a NOTIFY names the one
 * that sent it. A pid leaves with its connection; one reused meanwhile by another replica's connection
 * would hide that replica's NOTIFY until the next poll.
 */
function trackBackends(pool: pg.Pool, pids: Set<number>): void {
  const pid = (client: pg.PoolClient) => (client as unknown as { processID: number | null }).processID;
  pool.on("connect", (client) => {
    const id = pid(client);
    if (id !== null) pids.add(id);
  });
  pool.on("remove", (client) => {
    const id = pid(client);
    if (id !== null) pids.delete(id);
  });
}

/** A connection of its own for LISTEN, reconnected after a failure (callers poll meanwhile). */
async function listenPostgres(
  url: string,
  channel: string,
  onNotify: () => void,
  wanted: (senderPid: number) => boolean,
) {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel && wanted(message.processId)) onNotify();
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
