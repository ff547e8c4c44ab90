import type { App } from "@slack/bolt";
import { TicketCommandError } from "../../tickets/errors.js";
import { escapeText } from "./blocks.js";
import { actorFor, type HandlerDeps, tellEphemeral, workspaceOf } from "./handlerDeps.js";
import { claimEvent, releaseEvent } from "./inbound.js";
import type { PrismaInstallationStore } from "./installations.js";
import { fromSlack } from "./text.js";

/** Message subtypes that are a person writing; every other subtype (joins, edits, bots) is ignored. */
const humanSubtypes = new Set([undefined, "thread_broadcast", "file_share"]);

/**
 * Events API: thread replies become comments, App Home is published, uninstalls delete the installation.
 * Bolt acks events before listeners run; a retried delivery (same event_id) is dropped here.
 */
export function registerEvents(app: App, deps: HandlerDeps, installations: PrismaInstallationStore): void {
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await claimEvent(deps.prisma, eventId, deps.now().toJSDate()))) {
      deps.logger.debug({ eventId }, "duplicate Slack event dropped");
      return;
    }
    try {
      await next();
    } catch (error) {
      // Let a redelivery through: the work did not happen (commands are idempotent by their own keys).
      if (typeof eventId === "string") await releaseEvent(deps.prisma, eventId).catch(() => undefined);
      throw error;
    }
  });

  app.event("message", async ({ event, client, context }) => {
    const m = event as {
      subtype?: string;
      bot_id?: string;
      user?: string;
      text?: string;
      ts: string;
      thread_ts?: string;
      channel: string;
      user_team?: string;
    };
    if (!humanSubtypes.has(m.subtype) || m.bot_id || !m.user) return;
    if (!m.thread_ts || m.thread_ts === m.ts) return;
    if (context.botUserId && m.user === context.botUserId) return;
    const thread = await deps.tickets.findThread("slack", m.channel, m.thread_ts);
    if (!thread) return;
    const { ticketId } = thread;
    const actor = await actorFor(deps, client, context, m.user, m.user_team);
    try {
      // In the ticket's thread: an agent's reply meets the first response; the customer's resumes a paused
      // clock; the service decides whose side the writer is on (another customer's reply is refused). In
      // the thread of its copy in the triage channel: an internal note, which customers never see.
      const internal = thread.side === "team";
      await deps.tickets.record(
        { ticketId },
        actor,
        {
          type: "comment",
          author: actor.isAgent ? "agent" : "customer",
          visibility: internal ? "internal" : "public",
          text: fromSlack(m.text),
        },
        `slack:msg:${m.channel}:${m.ts}`,
      );
    } catch (thrown) {
      const known = thrown instanceof TicketCommandError;
      if (!known) deps.logger.error({ err: thrown, ticketId }, "thread reply not recorded");
      const why = known
        ? escapeText(thrown.message)
        : "something went wrong on our side; please send it again";
      await tellEphemeral(client, deps.logger, m.channel, m.user, `Not recorded on the ticket: ${why}`);
      if (!known) throw thrown;
    }
  });

  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    await deps.home.open(client, workspaceOf(context).workspaceId, event.user);
  });

  app.event("app_uninstalled", async ({ context }) => {
    await installations.deleteInstallation(installQuery(context));
    deps.logger.info({ workspace: workspaceOf(context).workspaceId }, "Slack app uninstalled");
  });

  app.event("tokens_revoked", async ({ event, context }) => {
    if (!event.tokens.bot?.length) return;
    await installations.deleteInstallation(installQuery(context));
    deps.logger.info({ workspace: workspaceOf(context).workspaceId }, "Slack bot token revoked");
  });
}

function installQuery(context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) {
  return {
    teamId: context.teamId,
    enterpriseId: context.enterpriseId,
    isEnterpriseInstall: Boolean(context.isEnterpriseInstall),
  };
}
