import type { Store } from "../store/db.js";
import { readMigrations } from "../store/migrate.js";
import { type Route, sendJson } from "./http.js";

/** `/healthz`: the process is alive. `/readyz`: the database answers and every migration is applied. */
export function healthRoutes(store: Store): Route[] {
  const expected = readMigrations().map((m) => m.name);
  return [
    {
      method: "GET",
      path: "/healthz",
      // The pool's numbers: `waiting` above zero for long means commands queue for a connection.
      handler: (_req, res) =>
        sendJson(res, 200, { status: "ok", ...(store.poolStats ? { pool: store.poolStats() } : {}) }),
    },
    {
      method: "GET",
      path: "/readyz",
      async handler(_req, res) {
        const readiness = await checkReadiness(store, expected);
        sendJson(res, readiness.ready ? 200 : 503, readiness);
      },
    },
  ];
}

export async function checkReadiness(store: Store, expected: string[]) {
  try {
    const rows = await store.sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = expected.filter((name) => !applied.has(name));
    return { ready: pending.length === 0, database: "up", pendingMigrations: pending };
  } catch {
    return { ready: false, database: "down", pendingMigrations: expected };
  }
}
