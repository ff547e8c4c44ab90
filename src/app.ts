import { hostname } from "node:os";
import { createChatAdapters } from "./app/chatAdapters.js";
import { beforeTickChores } from "./app/chores.js";
import { adminChannel, oncallByName, recipientsOf } from "./app/recipients.js";
import { listenUnlessTerminal, openDirectory, releaseSendsOfDeadProcess } from "./app/startup.js";
import { advanceTo, simulatedClock } from "./app/terminalClock.js";
import type { Destination } from "./chat/port.js";
import type { FrontLane } from "./chat/slack/app.js";
import { runShell } from "./chat/terminal/shell.js";
import { answerOperatorCommands } from "./cli/botAnswers.js";
import { SimulatedClock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics/metrics.js";
import { icalRoutes, resolveFeedSecret } from "./paging/index.js";
import { PeopleDirectory } from "./paging/people.js";
import { configuredReferenceProblems } from "./paging/references.js";
import { loadPolicyFile, PolicyError } from "./policy/index.js";
import type { Policy } from "./policy/types.js";
import { type RunningScheduler, startScheduler } from "./scheduler/runner.js";
import { type FrontDoor, openFrontDoor } from "./server/frontDoor.js";
import { healthRoutes, WaitingServer } from "./server/health.js";
import { closeServer, createHttpServer, listen } from "./server/http.js";
import { INTAKE_POOL_SIZE, openMigratedStore, type Store, storeLocation } from "./store/db.js";
import type { MigrationReport } from "./store/migrate.js";
import { openWhenReachable } from "./store/reachable.js";
import { startTableCare } from "./store/tableCare.js";
import { TicketService } from "./tickets/service.js";

export interface TerminalOptions {
  input: NodeJS.ReadableStream;
  write: (text: string) => void;
  prompt: boolean;
  output?: NodeJS.WritableStream;
  /** An ISO instant read in the policy's zone ("2026-11-28T22:00"); default now. */
  at?: string;
  speed?: number;
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
 * Wires the service together: policy, store (migrated), on-call directory, ticket service, chat adapters,
 * scheduler and the HTTP server. The only place that knows about all of them.
 */
export async function startService(
  config: Config,
  logger: Logger,
  options: { terminal?: TerminalOptions; progress?: (line: string) => void } = {},
): Promise<RunningService> {
  const started = Date.now();
  const policy = loadPolicyFile(config.POLICY_FILE);
  // A schedule, role or channel that does not exist would page nobody: refuse to start instead.
  const broken = configuredReferenceProblems(policy, config.ONCALL_DIR, config.PEOPLE_FILE);
  if (broken.length > 0) throw new PolicyError(config.POLICY_FILE, broken);
  const { terminal } = options;
  const location = storeLocation(config);
  if (location.kind === "pglite")
    options.progress?.(`opening the embedded database in ${location.dataDir} …`);
  const waiting = terminal ? undefined : new WaitingServer(config.PORT, config.HOST, logger);
  const { store, migrations } = await openWhenReachable(() => openMigratedStore(location), {
    logger,
    onUnreachable: () => waiting?.start(),
  }).finally(() => waiting?.stop());
  try {
    return await assemble(config, logger, policy, store, migrations, terminal, started);
  } catch (error) {
    // Nothing half-started may keep running (and paging) after a failed start.
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function assemble(
  config: Config,
  logger: Logger,
  policy: Policy,
  store: Store,
  migrations: MigrationReport,
  terminal: TerminalOptions | undefined,
  started: number,
): Promise<RunningService> {
  const clock = terminal ? await simulatedClock(policy, terminal, store) : systemClock;
  logger.info({ database: store.kind, applied: migrations.applied }, "database ready");
  if (store.kind === "pglite") await releaseSendsOfDeadProcess(store, clock.now().toJSDate(), logger);
  for (const name of migrations.modified)
    logger.warn({ migration: name }, "applied migration was edited since");

  const directory = await openDirectory(config, store, policy);
  const people = PeopleDirectory.load(config.PEOPLE_FILE);
  let scheduler: RunningScheduler | undefined; // set once everything else is up
  let admin: Destination | undefined; // set once the chat adapters are up
  const tickets = new TicketService({
    store,
    policy,
    now: () => clock.now(),
    recipients: { ...recipientsOf(directory, people), admin: () => admin },
    onNotificationsWritten: (nextCheckAt) => scheduler?.kick(nextCheckAt),
    onTicketError: (ticketId, error) =>
      logger.error({ ticketId, err: error }, "ticket could not be evaluated; retrying in 15 minutes"),
  });
  const { ports, slack, teams } = await createChatAdapters({
    config,
    store,
    tickets,
    policy,
    logger,
    clock,
    directory,
    people,
    terminalWrite: terminal?.write,
  });

  const feedSecret = await resolveFeedSecret({ envSecret: config.ESCALATOR_SECRET, prisma: store.prisma });
  let door: FrontDoor | undefined;
  const metrics = createMetrics({
    store,
    policy,
    now: () => clock.now(),
    logger,
    frontPool: () => door?.pool(),
  });
  const server = createHttpServer(
    [
      ...healthRoutes(store),
      metrics.route,
      ...icalRoutes({ directory, secret: feedSecret }),
      ...(slack?.routes ?? []),
      ...(teams?.routes ?? []),
    ],
    logger,
    metrics.recorder.request,
  );
  const front = frontDoorOf(config, store, terminal, slack?.frontLane);
  let port: number;
  if (front) {
    // The public port is the front door thread's; this server answers what it forwards, on loopback.
    const internal = await listen(server, 0, "127.0.0.1");
    door = await openFrontDoor({
      port: config.PORT,
      host: config.HOST,
      upstream: { host: "127.0.0.1", port: internal },
      databaseUrl: front.databaseUrl,
      poolSize: INTAKE_POOL_SIZE,
      lanes: [front.lane.spec],
      logger,
      observe: metrics.recorder.request,
      answered: front.lane.answered,
      onNote: front.lane.queued,
    }).catch(async (error: unknown) => {
      await closeServer(server);
      throw error;
    });
    port = door.port;
    front.lane.opened();
    logger.info({ port, loopback: internal }, "front door thread on the public port; the rest on loopback");
  } else port = await listenUnlessTerminal(server, config, terminal, logger);
  // Operator commands cannot open the embedded database while this process holds it: they ask here.
  const operatorSocket =
    store.kind === "pglite"
      ? await answerOperatorCommands(
          { store, policy, directory, feedSecret, clock, dataDir: config.DATA_DIR },
          logger,
        )
      : undefined;
  try {
    await slack?.start();
  } catch (error) {
    await door?.close();
    await closeServer(server);
    throw error;
  }
  // The scheduler starts last: a failed start must not leave it ticking and paging.
  const replicaId = config.REPLICA_ID ?? `${hostname()}:${process.pid}`;
  const adminDestination = adminChannel(slack, teams, terminal !== undefined);
  admin = adminDestination;
  const running = startScheduler({
    // Covers added by another replica are read before each tick.
    tick: {
      store,
      tickets,
      logger,
      beforeTick: beforeTickChores({
        store,
        policy,
        directory,
        people,
        admin: adminDestination,
        now: () => clock.now(),
      }),
    },
    dispatch: {
      store,
      ports,
      logger,
      replicaId,
      onSendError: metrics.recorder.sendFailed,
      ...(adminDestination ? { adminDestination } : {}),
    },
    onTick: metrics.recorder.tick,
    now: () => clock.now(),
    logger,
    ...(terminal?.speed ? { speed: terminal.speed } : {}),
  });
  scheduler = running;
  const care = startTableCare(store, logger);

  logger.info(
    { port, replicaId, policy: policy.id, chat: Object.keys(ports), startupMs: Date.now() - started },
    "escalator listening",
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await door?.close();
      await closeServer(server);
      if (operatorSocket) await closeServer(operatorSocket);
      await slack?.stop();
      await running.stop();
      await care.stop();
      await store.close();
      logger.info("escalator stopped");
    })();
    return stopping;
  };
  const finished =
    terminal && clock instanceof SimulatedClock
      ? runShell({
          ...terminal,
          tickets,
          scheduler: running,
          clock,
          advanceTo: (to) => advanceTo(store, clock, running, to),
          oncall: (text, asker, now) =>
            oncallByName(directory)(text, asker.id, policy.zone, now, asker.isAgent),
          triageChannel: config.TRIAGE_CHANNEL ?? "#support-triage",
          staff: (name) => people.people().includes(name) || directory.onSomeSchedule(name),
        })
      : new Promise<void>(() => {});
  return { store, policy, tickets, scheduler: running, port, replicaId, finished, stop };
}

/**
 * The front door thread answers `/ticket` when the lanes' database is a server (PostgreSQL) and Slack comes
 * over HTTP with a signature to check; FRONT_DOOR=0 keeps everything in this thread.
 */
function frontDoorOf(
  config: Config,
  store: Store,
  terminal: TerminalOptions | undefined,
  lane: FrontLane | undefined,
): { databaseUrl: string; lane: FrontLane } | undefined {
  if (!lane || terminal || !config.FRONT_DOOR || store.kind !== "postgres" || !config.DATABASE_URL)
    return undefined;
  return { databaseUrl: config.DATABASE_URL, lane };
}
