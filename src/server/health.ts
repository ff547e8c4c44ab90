import type { Server } from "node:http";
import type { Logger } from "../logger.js";
import type { Store } from "../store/db.js";
import { readMigrations } from "../store/migrate.js";
import { closeServer, createHttpServer, listen, type Route, sendJson } from "./http.js";

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

/**
 * While the database cannot be reached at start: alive (`/healthz` 200, so an orchestrator does not kill a
 * process that is only waiting) but not ready (`/readyz` 503, so no traffic is routed to it).
 */
export function waitingRoutes(): Route[] {
  return [
    {
      method: "GET",
      path: "/healthz",
      handler: (_req, res) => sendJson(res, 200, { status: "starting", database: "unreachable" }),
    },
    {
      method: "GET",
      path: "/readyz",
      handler: (_req, res) => sendJson(res, 503, { ready: false, database: "unreachable" }),
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

/** Answers /healthz (alive) and /readyz (not ready) on the service's port while the database is unreachable. */
export class WaitingServer {
  private server: Server | undefined;
  private listening: Promise<unknown> | undefined;
  constructor(
    private readonly port: number,
    private readonly host: string,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.server = createHttpServer(waitingRoutes(), this.logger);
    this.listening = listen(this.server, this.port, this.host).catch((error: unknown) =>
      this.logger.error({ err: error, port: this.port }, "cannot answer /healthz while waiting"),
    );
  }

  async stop(): Promise<void> {
    await this.listening;
    if (this.server?.listening) await closeServer(this.server);
  }
}
