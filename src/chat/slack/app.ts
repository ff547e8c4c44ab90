import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  App,
  type Authorize,
  HTTPReceiver,
  HTTPReceiverDeferredRequestError,
  type Installation,
  SocketModeReceiver,
} from "@slack/bolt";
import type { DateTime } from "luxon";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { OncallCommand } from "../../paging/commands.js";
import type { Policy } from "../../policy/types.js";
import { type LaneSpec, siblingModule } from "../../server/frontDoor.js";
import { type Route, sendJson } from "../../server/http.js";
import type { Store } from "../../store/db.js";
import { releaseDeadPendingLeases } from "../../store/pendingCommands.js";
import { TicketCommandError } from "../../tickets/errors.js";
import type { TicketService } from "../../tickets/service.js";
import { customersFileOf, loadCustomers } from "../customers.js";
import { IntakeThrottle } from "../intakeThrottle.js";
import { IntakeWorker } from "../intakeWorker.js";
import type { ChatPort, Destination } from "../port.js";
import { registerCardActions } from "./actions.js";
import { AgentDirectory } from "./agents.js";
import { ChannelAccess } from "./channelAccess.js";
import { ChannelDirectory, parseChannelMap } from "./channels.js";
import { WebClients, webClientOptions } from "./client.js";
import { registerTicketCommand } from "./commands.js";
import { registerEvents } from "./events.js";
import type { SlackLaneOptions } from "./frontLane.js";
import { actorFor, type HandlerDeps } from "./handlerDeps.js";
import { HomeTab } from "./home.js";
import { claimCommand } from "./inbound.js";
import { NotInstalledError, PrismaInstallationStore } from "./installations.js";
import { carryOut, type PlaceOf } from "./intake.js";
import { slackLogger } from "./logger.js";
import { registerOncallCommand } from "./oncall.js";
import { registerPageActions } from "./pageActions.js";
import { type PendingTicket, savePending } from "./pending.js";
import { SlackPort } from "./port.js";
import { type DeferredClaim, guardedSlackListener } from "./receiver.js";
import { registerMessageShortcut } from "./shortcut.js";
import { registerSubmissions } from "./submissions.js";
import { registerWaysIn } from "./waysIn.js";
import { DEFAULT_WORKSPACE, idList, workspaceIdOf } from "./workspace.js";

export interface SlackAppDeps {
  config: Config;
  store: Store;
  tickets: TicketService;
  policy: Policy;
  logger: Logger;
  now: () => DateTime;
  /**
   * Accepted for symmetry with the other adapters; unused: every Slack handler writes through the ticket
   * service, whose onNotificationsWritten already wakes the dispatcher.
   */
  kick?: () => void;
  /** "Who is on call now" for App Home, in Slack mrkdwn. */
  oncallText?: (at: DateTime) => string;
  /** `/oncall …`; without it the command is not registered. */
  oncallCommand?: OncallCommand;
  /** Test seam: App Home refresh throttle (default 30 s). */
  homeThrottleMs?: number;
}

/** A lane for the front door thread, and what its requests mean to this adapter. */
export interface FrontLane {
  spec: LaneSpec;
  /** A request the lane answered, after `ms`. */
  answered(ms: number): void;
  /** The lane wrote a request down: carry it out. */
  queued(): void;
  /** The front door thread answers the lane's requests now. */
  opened(): void;
}

export interface SlackApp {
  port: ChatPort;
  /** `/slack/*` on the app's HTTP server (events, commands, interactivity, OAuth); empty in Socket Mode. */
  routes: Route[];
  /** Where the dispatcher reports undeliverable messages (SLACK_ADMIN_CHANNEL), if configured. */
  adminDestination?: Destination;
  /** `/ticket`'s lane for the front door thread: over HTTP with a signing secret (none in local mode). */
  frontLane?: FrontLane;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Bot scopes asked for at install; the manifests list the same. */
export const botScopes = [
  "commands",
  "chat:write",
  "chat:write.public",
  "channels:join",
  "im:write",
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
  "usergroups:read",
  "users:read",
  "reactions:read",
  "app_mentions:read",
  "files:write",
];

/**
 * The Slack adapter: Bolt over HTTP (routes on the app's server) or Socket Mode (SLACK_APP_TOKEN), tokens per
 * workspace from the installation store (SLACK_BOT_TOKEN for a single workspace), and the outbox's port.
 */
export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { config, logger } = deps;
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  if (!socketMode && !config.SLACK_SIGNING_SECRET && !config.ESCALATOR_LOCAL)
    throw new Error(
      "SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  const clients = new WebClients(webClientOptions(config.SLACK_API_URL, logger));
  const installations = new PrismaInstallationStore(deps.store.prisma, clients, config.SLACK_BOT_TOKEN);
  const agents = new AgentDirectory(
    new Set(idList(config.SLACK_AGENT_USER_IDS)),
    idList(config.SLACK_AGENT_GROUP_IDS),
    logger,
  );
  if (!agents.configured)
    logger.warn(
      "no Slack agents configured (SLACK_AGENT_USER_IDS / SLACK_AGENT_GROUP_IDS): everyone is a customer",
    );
  const home = new HomeTab({
    tickets: deps.tickets,
    agents,
    installations,
    clients,
    now: deps.now,
    logger,
    oncallText: deps.oncallText,
    ...(deps.homeThrottleMs !== undefined ? { throttleMs: deps.homeThrottleMs } : {}),
  });
  const port = new SlackPort({
    prisma: deps.store.prisma,
    installations,
    clients,
    channels: new ChannelDirectory(parseChannelMap(config.SLACK_CHANNEL_MAP)),
    now: deps.now,
    logger,
    onTicketChanged: (workspaceId) => home.changed(workspaceId),
  });

  // The request's workspace is the installation's (the vendor's), never the submitter's team: in a Slack
  // Connect channel, Slack names the customer's team, and Bolt would file their tickets there.
  const authorize: Authorize<boolean> = async (source) => {
    const installation = await installations.fetchInstallation(source);
    return {
      botToken: installation.bot?.token,
      botId: installation.bot?.id,
      botUserId: installation.bot?.userId,
      teamId: installedTeam(installation, source.teamId),
    };
  };
  // A /ticket written down by the front door thread names the team Slack sent; its workspace is resolved
  // here, as authorize does for a request Bolt handles.
  const placeOf: PlaceOf = async (pending) => {
    if (pending.workspaceId !== undefined)
      return { workspaceId: pending.workspaceId, client: await clientFor(pending.workspaceId) };
    const team = pending.team ?? {};
    const installation = await installations
      .fetchInstallation({
        teamId: team.teamId,
        enterpriseId: team.enterpriseId,
        isEnterpriseInstall: Boolean(team.isEnterpriseInstall),
      })
      .catch((error: unknown) => {
        // Anything else (Slack or the database not answering) is a failure like any other, logged.
        if (!(error instanceof NotInstalledError)) throw error;
        logger.warn({ err: error, team: team.teamId }, "a /ticket from a workspace without Escalator");
        throw new TicketCommandError(
          "Escalator is not installed in this Slack workspace, so nothing was opened. Ask a workspace admin to install it.",
          "forbidden",
        );
      });
    const workspaceId = workspaceIdOf({ teamId: installedTeam(installation, team.teamId) });
    return { workspaceId, client: await clientFor(workspaceId) };
  };
  const slackLog = slackLogger(logger);
  const receiver = socketMode
    ? new SocketModeReceiver({ appToken: config.SLACK_APP_TOKEN!, logger: slackLog })
    : new HTTPReceiver({
        signingSecret: config.SLACK_SIGNING_SECRET ?? "",
        endpoints: "/slack/events",
        // A slash command whose replay check the request filter left to its handler (`/ticket`).
        customPropertiesExtractor: (req) => {
          const key = (req as DeferredClaim).commandKey;
          return key ? { commandKey: key } : {};
        },
        // Requests reach this receiver only through the request filter (receiver.ts), which has checked the
        // signature already (unless in explicit local mode); a second HMAC per request would add nothing.
        signatureVerification: false,
        logger: slackLog,
      });
  const app = new App({
    receiver,
    authorize,
    logger: slackLog,
    clientOptions: clients.options,
    // Bolt's default conversation store looks up every event's conversation in memory, and a miss (every
    // one: nothing here stores conversations) is an Error with its stack: ~2 % of the CPU of a /ticket.
    convoStore: false,
  });
  const handlerDeps: HandlerDeps = {
    prisma: deps.store.prisma,
    tickets: deps.tickets,
    policy: deps.policy,
    agents,
    admins: new Set(idList(config.SLACK_ADMIN_USER_IDS)),
    customers: loadCustomers(customersFileOf(config), deps.policy),
    home,
    logger,
    now: deps.now,
    access: new ChannelAccess(),
    triageChannel: config.TRIAGE_CHANNEL,
    intake: {
      save: (pending, claim) => savePending(deps.store.intake, pending, claim),
      claim: (key) => claimCommand(deps.store.intake, key, deps.now().toJSDate()),
      wake: () => intake.wake(),
    },
  };
  const clientFor = async (workspaceId: string) =>
    clients.for((await installations.credentialsFor(workspaceId)).token);
  deps.tickets.agents.register("slack", (workspaceId, userId) =>
    agents.isAgentIn(() => clientFor(workspaceId), workspaceId, userId),
  );
  const throttle = new IntakeThrottle(16, () => intake.roomGrew());
  const intake = new IntakeWorker({
    concurrency: 16,
    limit: () => throttle.limit,
    sql: deps.store.queries,
    platform: "slack",
    owner: `${config.REPLICA_ID ?? "escalator"}:${randomUUID()}`,
    now: () => deps.now().toJSDate(),
    logger,
    async carryOut(row) {
      await carryOut(handlerDeps, placeOf, row.payload as PendingTicket);
      if (row.attempts > 1) logger.info({ pending: row.id }, "acknowledged request carried out on a retry");
    },
  });
  registerEvents(app, handlerDeps, installations);
  registerTicketCommand(app, handlerDeps);
  if (deps.oncallCommand) {
    registerOncallCommand(app, {
      oncall: deps.oncallCommand,
      now: deps.now,
      logger,
      defaultZone: deps.policy.zone,
      isAgent: async (client, context, userId) =>
        (await actorFor(handlerDeps, client, context, userId)).isAgent,
    });
  }
  registerMessageShortcut(app, handlerDeps);
  registerWaysIn(app, handlerDeps, (config.SLACK_TICKET_REACTION ?? "ticket").replace(/:/g, ""));
  registerCardActions(app, handlerDeps);
  registerPageActions(app, handlerDeps);
  registerSubmissions(app, handlerDeps);
  app.error(async (error) => {
    logger.error({ err: error }, "slack listener failed");
  });

  const installer = oauthReceiver(config, installations, slackLog, clients.options);
  const routes: Route[] = [];
  if (installer)
    routes.push(...listenerRoutes(["/slack/install", "/slack/oauth_redirect"], "GET", installer));
  if (receiver instanceof HTTPReceiver) {
    const guarded = guardedSlackListener({
      receiver,
      signingSecret: config.SLACK_SIGNING_SECRET,
      verify: !config.ESCALATOR_LOCAL,
      intake: deps.store.intake,
      logger,
      answered: (ms) => throttle.answered(ms),
      claimedInHandler: new Set(["/ticket"]),
      now: () => deps.now().toJSDate(),
    });
    routes.push({ method: "POST", path: "/slack/events", handler: guarded });
  }

  const laneOptions: SlackLaneOptions | undefined =
    receiver instanceof HTTPReceiver && config.SLACK_SIGNING_SECRET && !config.ESCALATOR_LOCAL
      ? {
          signingSecret: config.SLACK_SIGNING_SECRET,
          vocabulary: { severities: deps.policy.severities.map(({ key, label }) => ({ key, label })) },
          command: "/ticket",
        }
      : undefined;
  return {
    port,
    routes,
    ...(laneOptions && {
      frontLane: {
        spec: { module: siblingModule(import.meta.url, "frontLane").href, options: laneOptions },
        answered: (ms) => throttle.answered(ms),
        queued: () => intake.wake(),
        opened: () => throttle.acksApart(),
      },
    }),
    ...(config.SLACK_ADMIN_CHANNEL ? { adminDestination: adminDestination(config.SLACK_ADMIN_CHANNEL) } : {}),
    async start() {
      if (socketMode) await app.start();
      // Requests acknowledged by a process that died before answering are carried out now (the embedded
      // database is locked to this one process, so every lease there is a dead process's), and on
      // PostgreSQL another replica's as soon as their lease lapses.
      if (deps.store.kind === "pglite") {
        const freed = await releaseDeadPendingLeases(deps.store.intake);
        if (freed > 0) logger.info({ freed }, "acknowledged requests left by a stopped process are resumed");
      }
      throttle.start();
      intake.start();
    },
    async stop() {
      throttle.stop();
      await intake.stop();
      home.stop();
      if (socketMode) await app.stop();
    },
  };
}

/** The team a request belongs to: its installation's (the vendor's, for a Slack Connect customer), else Slack's. */
function installedTeam(installation: Installation, teamId: string | undefined): string | undefined {
  return installation.team?.id || teamId;
}

/**
 * Multi-workspace install (SLACK_CLIENT_ID): a receiver used only for its two OAuth pages, so requests are
 * authorized the same way over HTTP and Socket Mode (installation store, then SLACK_BOT_TOKEN).
 */
function oauthReceiver(
  config: Config,
  installations: PrismaInstallationStore,
  logger: ReturnType<typeof slackLogger>,
  clientOptions: WebClients["options"],
): HTTPReceiver | undefined {
  if (!config.SLACK_CLIENT_ID || !config.SLACK_CLIENT_SECRET || !config.SLACK_STATE_SECRET) return undefined;
  return new HTTPReceiver({
    signingSecret: config.SLACK_SIGNING_SECRET ?? "",
    signatureVerification: Boolean(config.SLACK_SIGNING_SECRET),
    endpoints: [],
    clientId: config.SLACK_CLIENT_ID,
    clientSecret: config.SLACK_CLIENT_SECRET,
    stateSecret: config.SLACK_STATE_SECRET,
    installationStore: installations,
    scopes: botScopes,
    // The token exchange (oauth.v2.access) goes to SLACK_API_URL too.
    installerOptions: { directInstall: true, clientOptions },
    logger,
  });
}

function listenerRoutes(paths: string[], method: "GET" | "POST", receiver: HTTPReceiver): Route[] {
  return paths.map((path) => ({
    method,
    path,
    handler: (req: IncomingMessage, res: ServerResponse) => {
      try {
        receiver.requestListener(req, res);
      } catch (error) {
        if (!(error instanceof HTTPReceiverDeferredRequestError)) throw error;
        sendJson(res, 404, { error: "not found" });
      }
    },
  }));
}

function adminDestination(channel: string): Destination {
  const id = channel.replace(/^#/, "");
  const isId = /^[CG][A-Z0-9]{8,}$/.test(id);
  return {
    platform: "slack",
    workspaceId: DEFAULT_WORKSPACE,
    ...(isId ? { channelId: id } : { channelName: channel }),
  };
}
