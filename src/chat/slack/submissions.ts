import type { App, Context } from "@slack/bolt";
import { TicketCommandError } from "../../tickets/errors.js";
import { type ResolutionReason, resolutionReasons } from "../../tickets/events.js";
import type { NewTicketInput } from "../../tickets/validate.js";
import { validateNewTicket } from "../../tickets/validate.js";
import type { WebClient } from "./client.js";
import {
  actorFor,
  failureText,
  type HandlerDeps,
  notAnAgent,
  tellEphemeral,
  workspaceOf,
} from "./handlerDeps.js";
import { type CreateMeta, fieldValue, type TicketMeta, viewIds } from "./views.js";

type Values = Parameters<typeof fieldValue>[0];

/**
 * The forms' submissions. Input that the form can catch (an empty summary) is answered in the form itself;
 * everything else is acked at once (the modal closes) and answered ephemerally once done.
 */
export function registerSubmissions(app: App, deps: HandlerDeps): void {
  app.view(viewIds.create, async ({ ack, view, body, client, context }) => {
    const given = JSON.parse(view.private_metadata) as CreateMeta;
    const values = view.state.values as Values;
    // From the global shortcut the form asked where to post the ticket.
    const meta: CreateMeta = { ...given, channelId: given.channelId || (fieldValue(values, "home") ?? "") };
    const { workspaceId, key } = workspaceOf(context);
    const customer = deps.customers.find(key, meta.channelId);
    const input: NewTicketInput = {
      summary: fieldValue(values, "summary") ?? "",
      description: fieldValue(values, "description") ?? "",
      severity: fieldValue(values, "severity"),
      channel: fieldValue(values, "channel"),
      category: fieldValue(values, "category"),
      ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
      home: { platform: "slack", workspaceId, channelId: meta.channelId },
    };
    try {
      validateNewTicket(deps.policy, input);
    } catch (thrown) {
      if (thrown instanceof TicketCommandError)
        return ack({ response_action: "errors", errors: { summary: thrown.message } });
      throw thrown;
    }
    await ack();
    await createFromForm(deps, client, context, body.user.id, meta, input, view.id);
  });

  app.view(viewIds.severity, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as TicketMeta;
    const values = view.state.values as Values;
    await changeTicket(deps, client, context, body.user.id, meta, async (actor) => {
      const current = await deps.tickets.view({ ticketId: meta.ticketId });
      const to = fieldValue(values, "severity") ?? current.severity;
      const why = fieldValue(values, "why") ?? "";
      return deps.tickets.record(
        { ticketId: meta.ticketId },
        actor,
        { type: "severityChanged", from: current.severity, to, why },
        `slack:view:${view.id}`,
      );
    });
  });

  app.view(viewIds.resolve, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as TicketMeta;
    const values = view.state.values as Values;
    const given = fieldValue(values, "reason") ?? "fixed";
    const reason = (resolutionReasons as readonly string[]).includes(given)
      ? (given as ResolutionReason)
      : "fixed";
    const note = fieldValue(values, "note");
    await changeTicket(deps, client, context, body.user.id, meta, (actor) =>
      deps.tickets.record(
        { ticketId: meta.ticketId },
        actor,
        { type: "resolved", reason, ...(note ? { note } : {}) },
        `slack:view:${view.id}`,
      ),
    );
  });
}

async function createFromForm(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  meta: CreateMeta,
  input: NewTicketInput,
  viewId: string,
): Promise<void> {
  try {
    const actor = await actorFor(deps, client, context, userId);
    if (meta.origin) {
      const link = await client.chat
        .getPermalink({ channel: meta.origin.channelId, message_ts: meta.origin.messageId })
        .catch(() => undefined);
      input.origin = { ...meta.origin, permalink: link?.permalink ?? null };
    }
    // One ticket per message: "Create ticket" twice on the same message finds the first one.
    const clientKey = meta.origin
      ? `slack:from:${meta.origin.channelId}:${meta.origin.messageId}`
      : `slack:view:${viewId}`;
    const { ticket, duplicate } = await deps.tickets.create(actor, input, clientKey);
    const text = duplicate
      ? `That message already has ticket *#${ticket.number}*: ${ticket.summary}.`
      : `Opened *#${ticket.number}* (${ticket.severityLabel}): ${ticket.summary}. Its card is posted in this channel.`;
    await tellEphemeral(client, deps.logger, meta.channelId, userId, text);
  } catch (thrown) {
    await tellEphemeral(client, deps.logger, meta.channelId, userId, failureText(thrown, deps.logger));
  }
}

async function changeTicket(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  meta: TicketMeta,
  change: (actor: Awaited<ReturnType<typeof actorFor>>) => Promise<unknown>,
): Promise<void> {
  try {
    const actor = await actorFor(deps, client, context, userId);
    if (!actor.isAgent) return tellEphemeral(client, deps.logger, meta.channelId, userId, notAnAgent);
    await change(actor);
  } catch (thrown) {
    await tellEphemeral(client, deps.logger, meta.channelId, userId, failureText(thrown, deps.logger));
  }
}
