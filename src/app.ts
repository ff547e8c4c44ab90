import { hostname } from "node:os";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { healthRoutes } from "./server/health.js";
import { closeServer, createHttpServer, listen, type Route } from "./server/http.js";
import { openMigratedStore, type Store, storeLocation } from "./store/db.js";

export interface RunningService {
  store: Store;
  port: number;
  replicaId: string;
  stop(): Promise<void>;
}

/**
 * Wires the service together: store (migrated), HTTP server, and — as they land — the scheduler and the
 * chat adapters. The only place that knows about all of them.
 */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const started = Date.now();
  const location = storeLocation(config);
  const { store, migrations } = await openMigratedStore(location);
  logger.info(
    { database: store.kind, applied: migrations.applied, alreadyApplied: migrations.alreadyApplied },
    "database ready",
  );
  for (const name of migrations.modified)
    logger.warn({ migration: name }, "applied migration was edited since");

  const replicaId = config.REPLICA_ID ?? `${hostname()}:${process.pid}`;
  const routes: Route[] = [...healthRoutes(store)];
  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.PORT, config.HOST);
  logger.info({ port, replicaId, startupMs: Date.now() - started }, "escalator listening");

  let stopping: Promise<void> | undefined;
  return {
    store,
    port,
    replicaId,
    stop() {
      stopping ??= (async () => {
        await closeServer(server);
        await store.close();
        logger.info("escalator stopped");
      })();
      return stopping;
    },
  };
}
