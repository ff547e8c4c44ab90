import pg from "pg";
import type { PoolNumbers, SqlDriver } from "./db.js";

// PostgreSQL pools as SqlDrivers, apart from Prisma: the front door thread uses this module alone.

/** A pool of up to `max` connections; one the server drops while idle (restart, failover) is replaced on next use. */
export function openPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection's error must not crash the process.
  pool.on("error", () => undefined);
  return pool;
}

/** The pool's connections now: open, idle, and queries waiting for one. */
export function poolNumbers(pool: pg.Pool): PoolNumbers {
  return {
    size: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 10,
  };
}

export function poolDriver(pool: pg.Pool): SqlDriver {
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
