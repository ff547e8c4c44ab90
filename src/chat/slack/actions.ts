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
import { claimClick } from "../clicks.js";
import type { TicketView } from "../port.js";
import { type Block, context as contextBlock, escapeText, mention, section } from "./blocks.js";
import { acknowledgedInBundle } from "./bundle.js";
import type { WebClient } from "./client.js";
import { actorFor, failureText, type HandlerDeps, workspaceOf } from "./handlerDeps.js";
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
          const userTeam = (body.user as { team_id?: string }).team_id;
          await handle(args, await actorFor(deps, client, context, body.user.id, userTeam));
        } catch (thrown) {
          await ephemeral(failureText(thrown, deps.logger));
        }
      },
    );
  const record = (args: ClickArgs, actor: Actor, payload: TicketEventPayload) =>
    deps.tickets.record({ ticketId: ticketIdOf(args) }, actor, payload, clickKey(args));

  // Who may do what is the ticket service's rule table; these only translate clicks into commands.
  on(actionIds.acknowledge, async (args, actor) => {
    const ref = { ticketId: ticketIdOf(args) };
    await record(args, actor, await deps.tickets.acknowledgement(ref, actor));
  });
  on(actionIds.wait, (args, actor) =>
    record(args, actor, { type: "waitingOnCustomer" }).then(() => undefined),
  );
  on(actionIds.resume, (args, actor) => record(args, actor, { type: "resumed" }).then(() => undefined));
  on(actionIds.reopen, (args, actor) =>
    record(args, actor, { type: "reopened", why: "reopened from Slack" }).then(() => undefined),
  );
  onForm(app, deps, actionIds.severity, "severityChanged", (ticket, meta) =>
    severityModal(deps.policy, ticket, meta),
  );
  onForm(app, deps, actionIds.resolve, "resolved", (ticket, meta) => resolveModal(ticket, meta));
  on(actionIds.pageAcknowledge, async (args, actor) => {
    const { ticket, duplicate } = await record(args, actor, { type: "acknowledged" });
    const container = args.body.container as { channel_id?: string; message_ts?: string };
    if (duplicate || !container.channel_id || !container.message_ts) return;
    // A page among several in one message: only its row changes, the others keep their buttons.
    const blockId = (args.action as { block_id?: string }).block_id ?? "";
    const message = args.body.message as { text?: string; blocks?: Block[] } | undefined;
    if (blockId.startsWith("bundle:") && message?.blocks) {
      await args.client.chat.update({
        channel: container.channel_id,
        ts: container.message_ts,
        text: message.text ?? `Acknowledged #${ticket.number}`,
        blocks: acknowledgedInBundle(message.blocks, blockId, ticket, actor.id),
      });
      return;
    }
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
 * and only then is the person checked against the rules (a user-group lookup, the database): someone who may
 * not sees the form replaced by why not. Cards drawn before buttons carried `id|number|severity` read the
 * ticket first.
 */
function onForm(
  app: App,
  deps: HandlerDeps,
  actionId: string,
  command: "severityChanged" | "resolved",
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
      const form = build(ticket, meta);
      const opened = await client.views.open({ trigger_id: body.trigger_id, view: form });
      const userTeam = (body.user as { team_id?: string }).team_id;
      const actor = await actorFor(deps, client, context, body.user.id, userTeam);
      const refused = await deps.tickets.authorize({ ticketId: id }, actor, command).then(
        () => undefined,
        (thrown: unknown) => failureText(thrown, deps.logger),
      );
      if (refused && opened.view?.id)
        await client.views.update({ view_id: opened.view.id, view: noticeModal(form, refused) });
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
