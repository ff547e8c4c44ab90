import type {
  App,
  BlockAction,
  BlockElementAction,
  ButtonAction,
  Context,
  RespondFn,
  types,
} from "@slack/bolt";
import type { TicketEventPayload } from "../../tickets/events.js";
import type { Actor } from "../../tickets/service.js";
import type { TicketView } from "../port.js";
import { context as contextBlock, escapeText, mention, section } from "./blocks.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, notAnAgent, workspaceOf } from "./handlerDeps.js";
import { claimClick } from "./inbound.js";
import { actionIds } from "./render.js";
import { noticeModal, resolveModal, severityModal, type TicketMeta } from "./views.js";

type ClickArgs = {
  action: ButtonAction;
  body: BlockAction<BlockElementAction>;
  client: WebClient;
  context: Context;
  respond: RespondFn;
};

/**
 * The card's buttons and the page's Acknowledge. Each click is acked at once; a second click of the same
 * button by the same person within seconds is a double click and does nothing; the ticket service's
 * client key (the click's action_ts) makes a redelivered payload do nothing too.
 */
export function registerCardActions(app: App, deps: HandlerDeps): void {
  const on = (actionId: string, handle: (args: ClickArgs, actor: Actor) => Promise<void>) =>
    app.action<BlockAction<ButtonAction>>(
      actionId,
      async ({ ack, action, body, client, context, respond }) => {
        await ack();
        const args = { action, body, client, context, respond } as ClickArgs;
        const ephemeral = (text: string) =>
          respond({ response_type: "ephemeral", replace_original: false, text }).catch(() => undefined);
        try {
          const { workspaceId } = workspaceOf(context);
          const fresh = await claimClick(
            deps.prisma,
            `${workspaceId}:${body.user.id}:${action.value}:${actionId}`,
            deps.now().toJSDate(),
          );
          if (!fresh) return;
          await handle(args, await actorFor(deps, client, context, body.user.id));
        } catch (thrown) {
          await ephemeral(failureText(thrown, deps.logger));
        }
      },
    );
  const agentsOnly =
    (handle: (args: ClickArgs, actor: Actor) => Promise<void>) => async (args: ClickArgs, actor: Actor) => {
      if (!actor.isAgent) {
        await args.respond({ response_type: "ephemeral", replace_original: false, text: notAnAgent });
        return;
      }
      await handle(args, actor);
    };
  const record = (args: ClickArgs, actor: Actor, payload: TicketEventPayload) =>
    deps.tickets.record({ ticketId: ticketIdOf(args) }, actor, payload, clickKey(args));

  on(
    actionIds.acknowledge,
    agentsOnly(async (args, actor) => {
      // Acknowledging stops any paging ladder; on a ticket someone else holds, it also takes it over.
      const ticket = await deps.tickets.view({ ticketId: ticketIdOf(args) });
      const takeOver = ticket.assigneeId !== null && ticket.assigneeId !== actor.id;
      await record(
        args,
        actor,
        takeOver ? { type: "assigned", assigneeId: actor.id } : { type: "acknowledged" },
      );
    }),
  );
  on(
    actionIds.wait,
    agentsOnly((args, actor) => record(args, actor, { type: "waitingOnCustomer" }).then(() => undefined)),
  );
  on(
    actionIds.resume,
    agentsOnly((args, actor) => record(args, actor, { type: "resumed" }).then(() => undefined)),
  );
  on(actionIds.reopen, async (args, actor) => {
    const ticket = await deps.tickets.view({ ticketId: ticketIdOf(args) });
    if (!actor.isAgent && ticket.requesterId !== actor.id) {
      await args.respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "Only the requester or an agent can reopen this ticket.",
      });
      return;
    }
    await record(args, actor, { type: "reopened", why: "reopened from Slack" });
  });
  onForm(app, deps, actionIds.severity, (ticket, meta) => severityModal(deps.policy, ticket, meta));
  onForm(app, deps, actionIds.resolve, (ticket, meta) => resolveModal(ticket, meta));
  on(actionIds.pageAcknowledge, async (args, actor) => {
    const { ticket, duplicate } = await record(args, actor, { type: "acknowledged" });
    const container = args.body.container as { channel_id?: string; message_ts?: string };
    if (duplicate || !container.channel_id || !container.message_ts) return;
    // The DM is the person's own copy: replace its button with who acknowledged and when.
    await args.client.chat.update({
      channel: container.channel_id,
      ts: container.message_ts,
      text: `Acknowledged #${ticket.number}`,
      blocks: [
        section(`✅ You acknowledged *#${ticket.number}*: ${escapeText(ticket.summary)}`),
        contextBlock(`Acknowledged by ${mention(actor.id)}; the ticket's thread says so too.`),
      ],
    });
  });
}

function ticketIdOf(args: ClickArgs): string {
  return (args.action.value ?? "").split("|")[0] ?? "";
}

type FormTicket = Pick<TicketView, "id" | "number" | "severity">;

/**
 * A card button that opens a form: the form opens first (trigger_id lives 3 s) from what the button carries,
 * and only then is the person checked (a user-group lookup): a customer sees the form replaced by why not.
 * Cards drawn before buttons carried `id|number|severity` read the ticket first.
 */
function onForm(
  app: App,
  deps: HandlerDeps,
  actionId: string,
  build: (ticket: FormTicket, meta: TicketMeta) => types.View,
): void {
  app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, action, body, client, context, respond }) => {
    await ack();
    try {
      const [id = "", number, severity] = (action.value ?? "").split("|");
      const ticket: FormTicket =
        number && severity
          ? { id, number: Number(number), severity }
          : await deps.tickets.view({ ticketId: id });
      const meta = { ticketId: ticket.id, channelId: body.channel?.id };
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: build(ticket, meta) });
      const actor = await actorFor(deps, client, context, body.user.id);
      if (actor.isAgent || !opened.view?.id) return;
      await client.views.update({
        view_id: opened.view.id,
        view: noticeModal(build(ticket, meta), notAnAgent),
      });
    } catch (thrown) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: failureText(thrown, deps.logger),
      }).catch(() => undefined);
    }
  });
}

function clickKey(args: ClickArgs): string {
  return `slack:${args.action.action_ts}:${args.body.user.id}`;
}
