import type { Server } from "node:http";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { DateTime } from "luxon";
import type { ChatPort, Destination, Platform } from "./chat/port.js";
import type { SlackApp } from "./chat/slack/app.js";
import { pruneInboundEvents } from "./chat/slack/inbound.js";
import type { TeamsApp } from "./chat/teams/app.js";
import { TerminalChat } from "./chat/terminal/port.js";
import { runShell } from "./chat/terminal/shell.js";
import { answerOperatorCommands } from "./cli/botAnswers.js";
import { SimulatedClock, systemClock } from "./clock.js";
import { type Config, slackConfigured, teamsConfigured } from "./config.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics/metrics.js";
import type { OncallCommand } from "./paging/commands.js";
import { warnAboutGaps } from "./paging/gapWatch.js";
import { announceHandoffs, pagedSchedules } from "./paging/handoffWatch.js";
import {
  businessHoursOf,
  handleOncallCommand,
  icalRoutes,
  OncallDirectory,
  policyCalendars,
  renderNowAndNext,
  resolveFeedSecret,
} from "./paging/index.js";
import { inPeopleNames, PeopleDirectory, toChatMentions } from "./paging/people.js";
import { configuredReferenceProblems } from "./paging/references.js";
import { loadPolicyFile, PolicyError } from "./policy/index.js";
import type { Policy } from "./policy/types.js";
import { postWeeklyDigest } from "./reports/digest.js";
import { type RunningScheduler, startScheduler } from "./scheduler/runner.js";
import { earliestNextCheck } from "./scheduler/tick.js";
import { healthRoutes, WaitingServer } from "./server/health.js";
import { closeServer, createHttpServer, listen } from "./server/http.js";
import { openMigratedStore, type Store, storeLocation } from "./store/db.js";
import type { MigrationReport } from "./store/migrate.js";
import { releaseDeadLeases } from "./store/outbox.js";
import { openWhenReachable } from "./store/reachable.js";
import type { Recipients } from "./tickets/notifications.js";
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
    onNotificationsWritten: () => scheduler?.kick(),
    onTicketError: (ticketId, error) =>
      logger.error({ ticketId, err: error }, "ticket could not be evaluated; retrying in 15 minutes"),
  });
  const oncall = (text: string, asker: string, zone: string, now: DateTime, askerIsAgent: boolean) =>
    handleOncallCommand(text, { asker, askerIsAgent, zone, now, directory });
  // `/oncall` as a chat platform asks it: its user ids and mentions become schedule names and back.
  const oncallIn =
    (platform: "slack" | "teams"): OncallCommand =>
    (text, asker, zone, now, isAgent) =>
      inPeopleNames(people, platform, (input, name) => oncall(input, name, zone, now, isAgent))(text, asker);

  const ports: Partial<Record<Platform, ChatPort>> = {};
  if (terminal) ports.terminal = new TerminalChat(terminal.write, clock, join(config.DATA_DIR, "digests"));
  // Each chat SDK is loaded only when configured: importing Bolt and botbuilder costs a start hundreds of ms.
  const slack = slackConfigured(config)
    ? await (await import("./chat/slack/app.js")).createSlackApp({
        config,
        store,
        tickets,
        policy,
        logger,
        now: () => clock.now(),
        oncallText: (at) =>
          toChatMentions(
            people,
            "slack",
            directory
              .schedules()
              .map((s) => renderNowAndNext(s, at, directory.context, policy.zone))
              .join("\n\n"),
          ),
        oncallCommand: oncallIn("slack"),
      })
    : undefined;
  if (slack) ports.slack = slack.port;
  const teams = teamsConfigured(config)
    ? (await import("./chat/teams/app.js")).createTeamsApp({
        config,
        store,
        tickets,
        policy,
        logger,
        now: () => clock.now(),
        oncallCommand: oncallIn("teams"),
      })
    : undefined;
  if (teams) ports.teams = teams.port;

  const feedSecret = await resolveFeedSecret({ envSecret: config.ESCALATOR_SECRET, prisma: store.prisma });
  const metrics = createMetrics({ store, policy, now: () => clock.now(), logger });
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
  const port = await listenUnlessTerminal(server, config, terminal, logger);
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
    await closeServer(server);
    throw error;
  }
  // The scheduler starts last: a failed start must not leave it ticking and paging.
  const replicaId = config.REPLICA_ID ?? `${hostname()}:${process.pid}`;
  const adminDestination = adminChannel(slack, teams, terminal);
  admin = adminDestination;
  const running = startScheduler({
    // Covers added by another replica are read before each tick.
    tick: {
      store,
      tickets,
      logger,
      beforeTick: async () => {
        await directory.refresh();
        await pruneInboundEvents(store.prisma, clock.now().minus({ days: 2 }).toJSDate());
        if (!adminDestination) return;
        await warnAboutGaps(store.prisma, directory, adminDestination, clock.now(), policy.zone);
        const { platform, workspaceId } = adminDestination;
        await postWeeklyDigest(store.prisma, policy, { platform, workspaceId }, clock.now());
        await announceHandoffs(
          store.prisma,
          directory,
          {
            channel: (channelName) => ({ platform, workspaceId, channelName }),
            mention: (person) => `<@${people.chatId(person, platform)}>`,
            zone: policy.zone,
            paged: pagedSchedules([policy], directory),
          },
          clock.now(),
        );
      },
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

  logger.info(
    { port, replicaId, policy: policy.id, chat: Object.keys(ports), startupMs: Date.now() - started },
    "escalator listening",
  );

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await closeServer(server);
      if (operatorSocket) await closeServer(operatorSocket);
      await slack?.stop();
      await running.stop();
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
          oncall: (text, asker, now) => oncall(text, asker.id, policy.zone, now, asker.isAgent),
          triageChannel: config.TRIAGE_CHANNEL ?? "#support-triage",
        })
      : new Promise<void>(() => {});
  return { store, policy, tickets, scheduler: running, port, replicaId, finished, stop };
}

/** The embedded database is one process's: a row left `sending` was in flight when its process died. */
async function releaseSendsOfDeadProcess(store: Store, now: Date, logger: Logger): Promise<void> {
  const freed = await releaseDeadLeases(store.prisma, now);
  if (freed > 0)
    logger.warn({ freed }, "sends in flight when the last run stopped are sent again (each may show twice)");
}

async function openDirectory(config: Config, store: Store, policy: Policy): Promise<OncallDirectory> {
  try {
    return await OncallDirectory.open({
      dir: config.ONCALL_DIR,
      prisma: store.prisma,
      businessHours: businessHoursOf(policy.calendar),
      policies: policyCalendars(dirname(config.POLICY_FILE), policy),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`ONCALL_DIR: there is no folder ${config.ONCALL_DIR} (it holds the on-call schedules)`);
    }
    throw error;
  }
}

/**
 * The terminal chat needs no HTTP: when the port is taken it says which and carries on without /healthz and
 * the calendar feeds. A server that cannot listen stops (its only way in is HTTP).
 */
async function listenUnlessTerminal(
  server: Server,
  config: Config,
  terminal: TerminalOptions | undefined,
  logger: Logger,
): Promise<number> {
  try {
    return await listen(server, config.PORT, config.HOST);
  } catch (error) {
    if (!terminal) throw error;
    logger.warn(
      { err: error, port: config.PORT },
      "HTTP port unavailable; terminal chat continues without it",
    );
    terminal.write(
      `(Port ${config.PORT} on ${config.HOST} is in use (${(error as Error).message}); the terminal chat works without it, but /healthz and the calendar feeds are off. Set PORT to use another.)`,
    );
    return 0;
  }
}

/**
 * Simulated time starts at --at (or now), but never before what the data folder already holds: time only
 * moves forward, or an acknowledgement could land before the page it answers.
 */
async function simulatedClock(
  policy: Policy,
  terminal: TerminalOptions,
  store: Store,
): Promise<SimulatedClock> {
  const wanted = terminal.at
    ? DateTime.fromISO(terminal.at, { zone: policy.zone })
    : DateTime.now().setZone(policy.zone);
  const [events, sent] = await Promise.all([
    store.prisma.ticketEvent.aggregate({ _max: { at: true } }),
    store.prisma.notification.aggregate({ _max: { createdAt: true } }),
  ]);
  const latest = Math.max(events._max.at?.getTime() ?? 0, sent._max.createdAt?.getTime() ?? 0);
  const floor = latest ? DateTime.fromMillis(latest + 1000, { zone: policy.zone }) : undefined;
  if (floor && floor > wanted) {
    terminal.write(
      `(This data folder already goes up to ${floor.toFormat("ccc d LLL HH:mm")}; time starts there.)`,
    );
    return new SimulatedClock(floor, terminal.speed ?? 1);
  }
  return new SimulatedClock(wanted, terminal.speed ?? 1);
}

/** Pages go to whoever the schedule (with its covers) puts on call; names become chat ids via the people file. */
function recipientsOf(directory: OncallDirectory, people: PeopleDirectory): Recipients {
  return {
    onCall: (schedule, at) => directory.resolveOnCall(schedule, at),
    ladder: (schedule) => directory.ladder(schedule),
    fallback: (schedule) => directory.schedule(schedule)?.fallback ?? null,
    people: (who) => people.members(who),
    label: (who) => people.label(who),
    chatId: (person, platform) => people.chatId(person, platform),
    schedules: () => directory.schedules().map((s) => s.id),
  };
}

function adminChannel(
  slack: SlackApp | undefined,
  teams: TeamsApp | undefined,
  terminal: TerminalOptions | undefined,
): Destination | undefined {
  if (slack?.adminDestination) return slack.adminDestination;
  if (teams?.adminDestination) return teams.adminDestination;
  return terminal
    ? { platform: "terminal", workspaceId: "local", channelName: "#escalator-admin" }
    : undefined;
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
