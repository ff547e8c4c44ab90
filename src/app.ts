import { hostname } from "node:os";
import { DateTime } from "luxon";
import type { ChatPort, Destination, Platform } from "./chat/port.js";
import { TerminalChat } from "./chat/terminal/port.js";
import { runShell } from "./chat/terminal/shell.js";
import { type Clock, SimulatedClock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { loadPolicyFile } from "./policy/index.js";
import type { Policy } from "./policy/types.js";
import { type RunningScheduler, startScheduler } from "./scheduler/runner.js";
import { earliestNextCheck } from "./scheduler/tick.js";
import { healthRoutes } from "./server/health.js";
import { closeServer, createHttpServer, listen, type Route } from "./server/http.js";
import { openMigratedStore, type Store, storeLocation } from "./store/db.js";
import { noRecipients, type Recipients } from "./tickets/notifications.js";
import { TicketService } from "./tickets/service.js";

export interface ServiceOptions {
  /** The terminal chat (local mode): where it reads and writes, and where simulated time starts. */
  terminal?: {
    input: NodeJS.ReadableStream;
    write: (text: string) => void;
    prompt: boolean;
    /** An ISO instant read in the policy's zone ("2026-11-28T22:00"). */
    at?: string;
    speed?: number;
  };
}

export interface RunningService {
  store: Store;
  policy: Policy;
  tickets: TicketService;
  scheduler: RunningScheduler;
  port: number;
  replicaId: string;
  /** Resolves when the terminal chat ends (quit, or end of input); never in server mode. */
  finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wires the service together: policy, store (migrated), ticket service, scheduler, chat adapters and the
 * HTTP server. The only place that knows about all of them.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const started = Date.now();
  const policy = loadPolicyFile(config.POLICY_FILE);
  const terminal = options.terminal;
  const clock: Clock | SimulatedClock = terminal
    ? new SimulatedClock(
        terminal.at
          ? DateTime.fromISO(terminal.at, { zone: policy.zone })
          : DateTime.now().setZone(policy.zone),
        terminal.speed ?? 1,
      )
    : systemClock;
  const { store, migrations } = await openMigratedStore(storeLocation(config));
  logger.info(
    { database: store.kind, applied: migrations.applied, alreadyApplied: migrations.alreadyApplied },
    "database ready",
  );
  for (const name of migrations.modified)
    logger.warn({ migration: name }, "applied migration was edited since");

  const replicaId = config.REPLICA_ID ?? `${hostname()}:${process.pid}`;
  const ports: Partial<Record<Platform, ChatPort>> = {};
  if (terminal) ports.terminal = new TerminalChat(terminal.write, clock);
  const recipients: Recipients = { ...noRecipients, people: (who) => [who] };

  let scheduler: RunningScheduler | undefined;
  const tickets = new TicketService({
    store,
    policy,
    now: () => clock.now(),
    recipients,
    onNotificationsWritten: () => scheduler?.kick(),
  });
  const adminDestination: Destination = {
    platform: terminal ? "terminal" : "slack",
    workspaceId: "local",
    channelName: "#escalator-admin",
  };
  scheduler = startScheduler({
    tick: { store, tickets, logger },
    dispatch: { store, ports, logger, replicaId, adminDestination },
    now: () => clock.now(),
    logger,
    ...(terminal?.speed ? { speed: terminal.speed } : {}),
  });

  const routes: Route[] = [...healthRoutes(store)];
  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.PORT, config.HOST);
  logger.info({ port, replicaId, policy: policy.id, startupMs: Date.now() - started }, "escalator listening");

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await closeServer(server);
      await scheduler.stop();
      await store.close();
      logger.info("escalator stopped");
    })();
    return stopping;
  };
  const finished =
    terminal && clock instanceof SimulatedClock
      ? runShell({
          input: terminal.input,
          write: terminal.write,
          prompt: terminal.prompt,
          tickets,
          scheduler,
          clock,
          advanceTo: (to) => advanceTo(store, clock, scheduler, to),
        })
      : new Promise<void>(() => {});
  return { store, policy, tickets, scheduler, port, replicaId, finished, stop };
}

/** Moves simulated time forward, stopping at each instant a ticket needs a look, so steps fire on time. */
async function advanceTo(
  store: Store,
  clock: SimulatedClock,
  scheduler: RunningScheduler,
  to: DateTime,
): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const next = await earliestNextCheck(store);
    if (!next || next.getTime() > to.toMillis()) break;
    if (next.getTime() > clock.now().toMillis()) clock.setTo(DateTime.fromJSDate(next));
    await scheduler.tickNow();
  }
  if (to > clock.now()) clock.setTo(to);
  await scheduler.tickNow();
}
