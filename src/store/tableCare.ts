import type { Logger } from "../logger.js";
import type { SqlDriver, Store } from "./db.js";

/**
 * The tables whose rows change state many times each: the outbox (pending → sending → waiting → sent), the
 * queue of acknowledged requests (written, leased, deleted), tickets (every evaluation moves nextCheckAt).
 * Every change leaves a dead row version and new index entries; the outbox claim reads its partial indexes
 * by bitmap, which never skips dead entries, so until a VACUUM each claim visits every version still there.
 * Measured: 100 /ticket a second for 40 s left 81,000 dead versions beside 10,000 live rows in the outbox,
 * and each claim took 27 ms of the database's time; 10 ms right after a VACUUM (121 ms).
 */
export const CARED_TABLES = ["Notification", "PendingCommand", "Ticket"] as const;

/** Any constant: one replica at a time vacuums (a second would wait for the first's lock on the table). */
const CARE_LOCK_ID = 0x45534331;

/** Vacuumed when it has this many dead row versions and at least a tenth of its live rows. */
const DEAD_ROWS = 2_000;

export interface TableCare {
  stop(): Promise<void>;
}

/**
 * Vacuums the busy tables when they need it, not waiting for autovacuum (its default is to look once a
 * minute, at a fifth of a table dead: far behind a burst, and some servers run without it). On PostgreSQL
 * every `everyMs` (10 s) it reads the dead-row counts and vacuums where DEAD_ROWS is passed, one replica at a
 * time; the embedded database keeps no such counts and has no autovacuum, so it vacuums them every
 * `embeddedEveryMs` (10 minutes). A failure is logged and tried again next time.
 */
export function startTableCare(
  store: Pick<Store, "kind" | "sql">,
  logger: Logger,
  options: { everyMs?: number; embeddedEveryMs?: number } = {},
): TableCare {
  const embedded = store.kind === "pglite";
  const everyMs = embedded ? (options.embeddedEveryMs ?? 600_000) : (options.everyMs ?? 10_000);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= careFor(store.sql, embedded)
      .then((vacuumed) => {
        if (vacuumed.length > 0) logger.debug({ tables: vacuumed }, "busy tables vacuumed");
      })
      .catch((error: unknown) => logger.warn({ err: error }, "busy tables could not be vacuumed"))
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Vacuums the cared-for tables that need it (all of them on the embedded database); returns their names. */
export async function careFor(sql: SqlDriver, embedded: boolean): Promise<string[]> {
  const due = embedded ? [...CARED_TABLES] : await needingVacuum(sql);
  if (due.length === 0) return [];
  return sql.withConnection(async (conn) => {
    if (!embedded) {
      const [lock] = await conn.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
        CARE_LOCK_ID,
      ]);
      if (!lock?.ok) return [];
    }
    try {
      for (const table of due) await conn.exec(`VACUUM "${table}"`);
      return due;
    } finally {
      if (!embedded) await conn.query("SELECT pg_advisory_unlock($1)", [CARE_LOCK_ID]);
    }
  });
}

async function needingVacuum(sql: SqlDriver): Promise<string[]> {
  const rows = await sql.query<{ table: string }>(
    `SELECT relname AS table FROM pg_stat_user_tables
      WHERE schemaname = current_schema() AND relname = ANY($1::text[])
        AND n_dead_tup >= $2 AND n_dead_tup * 10 >= n_live_tup`,
    [[...CARED_TABLES], DEAD_ROWS],
  );
  return rows.map((r) => r.table);
}
