import type { DateTime } from "luxon";
import { Gauge, type Registry } from "prom-client";
import type { PoolNumbers, Store } from "../store/db.js";
import { pendingQueueStats } from "../store/pendingCommands.js";

/**
 * What says whether acknowledged requests keep up: this replica's database pools (connections in use, and
 * requests waiting for one: above zero for long, the pool is too small for the work), and the deployment's
 * queue of acknowledged requests not yet carried out (its depth and the age of its oldest row).
 */
export function intakeGauges(
  registry: Registry,
  deps: { store: Store; now: () => DateTime; frontPool?: () => PoolNumbers | undefined },
  safely: (what: string, work: () => Promise<void>) => Promise<void>,
): void {
  const { store } = deps;
  if (store.poolStats) {
    const stats = store.poolStats;
    const pools = () => {
      const { intake, ...main } = stats();
      const front = deps.frontPool?.();
      return { main, intake, ...(front && { front }) };
    };
    new Gauge({
      name: "escalator_db_pool_connections",
      help: "Database connections of this replica by pool (main: DATABASE_POOL_SIZE; intake: the ack path's; front: the front door thread's) and state (in_use, idle, max)",
      labelNames: ["pool", "state"],
      registers: [registry],
      collect() {
        for (const [pool, n] of Object.entries(pools())) {
          this.set({ pool, state: "in_use" }, n.size - n.idle);
          this.set({ pool, state: "idle" }, n.idle);
          this.set({ pool, state: "max" }, n.max);
        }
      },
    });
    new Gauge({
      name: "escalator_db_pool_waiting",
      help: "Queries of this replica waiting for a database connection, by pool",
      labelNames: ["pool"],
      registers: [registry],
      collect() {
        for (const [pool, n] of Object.entries(pools())) this.set({ pool }, n.waiting);
      },
    });
  }
  new Gauge({
    name: "escalator_pending_commands",
    help: "Acknowledged chat requests (e.g. /ticket) not yet carried out and answered, on every replica",
    registers: [registry],
    async collect() {
      await safely("pending commands", async () => {
        this.set((await pendingQueueStats(store.sql)).depth);
      });
    },
  });
  new Gauge({
    name: "escalator_pending_commands_oldest_age_seconds",
    help: "How long the oldest acknowledged request not yet carried out has waited (0 when none)",
    registers: [registry],
    async collect() {
      await safely("pending commands age", async () => {
        const { oldest } = await pendingQueueStats(store.sql);
        this.set(oldest ? Math.max(0, (deps.now().toMillis() - oldest.getTime()) / 1000) : 0);
      });
    },
  });
}
