import type { App, Context } from "@slack/bolt";
import { TicketCommandError } from "../../tickets/errors.js";
import { type ResolutionReason, resolutionReasons } from "../../tickets/events.js";
import { validateNewTicket } from "../../tickets/validate.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, tellEphemeral, workspaceOf } from "./handlerDeps.js";
import type { PendingTicket } from "./pending.js";
import { type CreateMeta, fieldValue, type TicketMeta, viewIds } from "./views.js";

type Values = Parameters<typeof fieldValue>[0];

/**
 * The forms' submissions. Input that the form can catch (an empty summary) is answered in the form itself;
 * everything else is acked at once (the modal closes) and answered ephemerally once done.
 */
export function registerSubmissions(app: App, deps: HandlerDeps): void {
  app.view(viewIds.create, async ({ ack, view, body, context }) => {
    const given = JSON.parse(view.private_metadata) as CreateMeta;
    const values = view.state.values as Values;
    // From the global shortcut the form asked where to post the ticket.
    const meta: CreateMeta = { ...given, channelId: given.channelId || (fieldValue(values, "home") ?? "") };
    const pending: PendingTicket = {
      // One ticket per message: "Create ticket" twice on the same message finds the first one.
      id: meta.origin
        ? `slack:from:${meta.origin.channelId}:${meta.origin.messageId}`
        : `slack:view:${view.id}`,
      workspaceId: workspaceOf(context).workspaceId,
      userTeam: body.user.team_id,
      userId: body.user.id,
      channelId: meta.channelId,
      input: {
        summary: fieldValue(values, "summary") ?? "",
        description: fieldValue(values, "description") ?? "",
        severity: fieldValue(values, "severity"),
        channel: fieldValue(values, "channel"),
        category: fieldValue(values, "category"),
      },
      ...(meta.origin ? { origin: meta.origin } : {}),
      receivedAt: deps.now().toISO()!,
    };
    try {
      validateNewTicket(deps.policy, { ...pending.input, home: { platform: "slack", workspaceId: "" } });
    } catch (thrown) {
      if (thrown instanceof TicketCommandError)
        return ack({ response_action: "errors", errors: { summary: thrown.message } });
      throw thrown;
    }
    // Claimed by the view's id with the row, so Slack's retry of a submission is answered once.
    const fresh = await deps.intake.save(pending, `view:${view.id}`);
    await ack();
    if (fresh) deps.intake.wake();
  });

  app.view(viewIds.severity, async ({ ack, view, body, client, context }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata) as TicketMeta;
    const values = view.state.values as Values;
    await changeTicket(deps, client, context, body.user.id, meta, body.user.team_id, async (actor) => {
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
    await changeTicket(deps, client, context, body.user.id, meta, body.user.team_id, (actor) =>
      deps.tickets.record(
        { ticketId: meta.ticketId },
        actor,
        { type: "resolved", reason, ...(note ? { note } : {}) },
        `slack:view:${view.id}`,
      ),
    );
  });
}

async function changeTicket(
  deps: HandlerDeps,
  client: WebClient,
  context: Context,
  userId: string,
  meta: TicketMeta,
  userTeam: string | undefined,
  change: (actor: Awaited<ReturnType<typeof actorFor>>) => Promise<unknown>,
): Promise<void> {
  try {
    await change(await actorFor(deps, client, context, userId, userTeam));
  } catch (thrown) {
    await tellEphemeral(client, deps.logger, meta.channelId, userId, failureText(thrown, deps.logger));
  }
}
