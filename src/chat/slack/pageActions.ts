import type { App, BlockAction, Context } from "@slack/bolt";
import type { TicketEventPayload } from "../../tickets/events.js";
import { claimClick } from "../clicks.js";
import { escapeText } from "./blocks.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, tellEphemeral, workspaceOf } from "./handlerDeps.js";
import { escalateModal, type PageMeta, pageViewIds, reassignModal, snoozeUntilModal } from "./pageViews.js";
import { actionIds } from "./render.js";

type Values = Record<
  string,
  Record<
    string,
    {
      value?: string | null;
      selected_option?: { value: string } | null;
      selected_user?: string | null;
      selected_date_time?: number | null;
    }
  >
>;
type PageAction = {
  action_id: string;
  action_ts: string;
  value?: string;
  selected_option?: { value: string };
};

/** "15m" and "1h" on the Snooze menu; "until" opens a form with a date and time. */
const snoozeMinutes: Record<string, number> = { "15m": 15, "1h": 60 };

/**
 * The page DM's moves next to Acknowledge: Snooze, Escalate now, Reassign. The ticket service decides who may
 * (agents, and whoever was paged) and whether the page is still running; this only translates.
 */
export function registerPageActions(app: App, deps: HandlerDeps): void {
  const on = (
    actionId: string,
    handle: (a: PageAction, body: BlockAction, client: WebClient, context: Context) => Promise<void>,
  ) =>
    app.action<BlockAction>(actionId, async ({ ack, action, body, client, context }) => {
      await ack();
      const a = action as unknown as PageAction;
      const value = a.selected_option?.value ?? a.value ?? "";
      const where = body.channel?.id;
      try {
        const { workspaceId } = workspaceOf(context);
        const key = `${workspaceId}:${body.user.id}:${value}:${actionId}`;
        if (!(await claimClick(deps.prisma, key, deps.now().toJSDate()))) return;
        await handle(a, body, client, context);
      } catch (thrown) {
        await tellEphemeral(client, deps.logger, where, body.user.id, failureText(thrown, deps.logger));
      }
    });

  on(actionIds.pageSnooze, async (a, body, client, context) => {
    const [ticketId = "", choice = ""] = (a.selected_option?.value ?? "").split("|");
    const meta: PageMeta = { ticketId, channelId: body.channel?.id };
    if (choice === "until") {
      const ticket = await deps.tickets.view({ ticketId });
      const initial = Math.floor(deps.now().plus({ hours: 2 }).toSeconds());
      await client.views.open({ trigger_id: body.trigger_id, view: snoozeUntilModal(ticket, meta, initial) });
      return;
    }
    const until = deps.now().plus({ minutes: snoozeMinutes[choice] ?? 15 });
    await move(
      deps,
      client,
      context,
      body.user.id,
      meta,
      { type: "pageSnoozed", until: until.toISO()! },
      clickKey(a, body),
    );
  });
  on(actionIds.pageEscalate, async (a, body, client) => {
    const [ticketId = "", pageKey] = (a.value ?? "").split("|");
    const ticket = await deps.tickets.view({ ticketId });
    const meta: PageMeta = { ticketId, pageKey, channelId: body.channel?.id };
    await client.views.open({ trigger_id: body.trigger_id, view: escalateModal(ticket, meta) });
  });
  on(actionIds.pageReassign, async (a, body, client) => {
    const ticketId = a.value ?? "";
    const ticket = await deps.tickets.view({ ticketId });
    const meta: PageMeta = { ticketId, channelId: body.channel?.id };
    const view = reassignModal(ticket, meta, deps.tickets.reassignableSchedules());
    await client.views.open({ trigger_id: body.trigger_id, view });
  });
  registerPageForms(app, deps);
}

function registerPageForms(app: App, deps: HandlerDeps): void {
  app.view(pageViewIds.snooze, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as PageMeta;
    const seconds = (view.state.values as Values).until?.value?.selected_date_time ?? 0;
    const until = new Date(seconds * 1000).toISOString();
    await move(
      deps,
      client,
      context,
      body.user.id,
      meta,
      { type: "pageSnoozed", until },
      `slack:view:${view.id}`,
    );
  });
  app.view(pageViewIds.escalate, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as PageMeta;
    const reason = (view.state.values as Values).reason?.value?.value?.trim() || "escalated from the page";
    const payload: TicketEventPayload = {
      type: "pageEscalated",
      reason,
      ...(meta.pageKey ? { fromPage: meta.pageKey } : {}),
    };
    await move(deps, client, context, body.user.id, meta, payload, `slack:view:${view.id}`);
  });
  app.view(pageViewIds.reassign, async ({ ack, view, body, client, context }) => {
    const values = view.state.values as Values;
    const person = values.person?.value?.selected_user;
    const schedule = values.schedule?.value?.selected_option?.value;
    if (!person === !schedule)
      return ack({ response_action: "errors", errors: { person: "Choose one person or one schedule." } });
    await ack();
    const meta = JSON.parse(view.private_metadata) as PageMeta;
    const to = person
      ? { kind: "person" as const, person }
      : { kind: "schedule" as const, schedule: schedule! };
    await move(
      deps,
      client,
      context,
      body.user.id,
      meta,
      { type: "pageReassigned", to },
      `slack:view:${view.id}`,
    );
  });
}

async function move(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  meta: PageMeta,
  payload: TicketEventPayload,
  clientKey: string,
): Promise<void> {
  try {
    const actor = await actorFor(deps, client, context, userId);
    const { ticket, duplicate } = await deps.tickets.record(
      { ticketId: meta.ticketId },
      actor,
      payload,
      clientKey,
    );
    if (duplicate) return;
    await tellEphemeral(client, deps.logger, meta.channelId, userId, pageMoveText(ticket.number, payload));
  } catch (thrown) {
    await tellEphemeral(client, deps.logger, meta.channelId, userId, failureText(thrown, deps.logger));
  }
}

/** What the person who moved a page is told (mrkdwn): a schedule's name is shown as written. */
export function pageMoveText(number: number, payload: TicketEventPayload): string {
  switch (payload.type) {
    case "pageSnoozed":
      return `😴 Snoozed #${number} until <!date^${Math.floor(Date.parse(payload.until) / 1000)}^{date_short_pretty} {time}|${payload.until}>. You are paged again then unless someone acknowledges; the SLA clock keeps running.`;
    case "pageEscalated":
      return `⏫ Escalated #${number}: the next level is paged now.`;
    case "pageReassigned":
      return `↪️ Reassigned the page for #${number}; ${payload.to.kind === "person" ? `<@${payload.to.person}>` : `whoever is on call for ${escapeText(payload.to.schedule)}`} is paged now.`;
    default:
      return `Done: #${number}.`;
  }
}

function clickKey(a: PageAction, body: BlockAction): string {
  return `slack:${a.action_ts}:${body.user.id}`;
}
