import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  TeamsActivityHandler,
  TurnContext,
} from "botbuilder";
import { TicketCommandError } from "../../tickets/errors.js";
import { type CardOutcome, runCardVerb } from "./actions.js";
import { commandWord, commandWords, runTextCommand } from "./commands.js";
import { baseConversationId, type ConversationStore, threadRootOf } from "./conversations.js";
import { actorFor, reply, type TeamsHandlerDeps } from "./handlerDeps.js";
import { htmlToText } from "./html.js";
import {
  createFromMessageCommand,
  createFromMessageDialog,
  submitCreateFromMessage,
} from "./messageExtension.js";
import { cardActivity } from "./render/index.js";

/**
 * The Teams bot: every activity first refreshes its conversation reference; messages are commands (in a
 * personal chat, or said to the bot) or replies in a ticket's thread (comments); card buttons arrive as
 * Action.Execute invokes (or Action.Submit messages on older clients); "Create ticket" as a message action.
 */
export class EscalatorTeamsBot extends TeamsActivityHandler {
  constructor(
    private readonly deps: TeamsHandlerDeps,
    conversations: ConversationStore,
  ) {
    super();
    this.onTurn(async (context, next) => {
      await conversations.capture(context.activity);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.message(context);
      await next();
    });
  }

  private async message(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const value = activity.value as { verb?: unknown } | undefined;
    if (value && typeof value.verb === "string") return this.submitted(context, value.verb, value);
    const personal = activity.conversation.conversationType === "personal";
    const spokenTo =
      personal || TurnContext.getMentions(activity).some((m) => m.mentioned.id === activity.recipient.id);
    const text = htmlToText(TurnContext.removeRecipientMention(activity) ?? activity.text ?? "");
    const root = threadRootOf(activity.conversation.id);
    if (root && !(spokenTo && commandWords.has(commandWord(text)))) {
      const ticketId = await this.deps.tickets.findByThread(
        "teams",
        baseConversationId(activity.conversation.id),
        root,
      );
      if (ticketId) return this.comment(context, ticketId, text);
    }
    if (spokenTo && text) await runTextCommand(context, this.deps, text);
  }

  /** A person's reply in a ticket's thread is a comment, as in Slack; an agent's meets the first response. */
  private async comment(context: TurnContext, ticketId: string, text: string): Promise<void> {
    const activity = context.activity;
    if (!text.trim()) return;
    const actor = await actorFor(this.deps, activity);
    try {
      await this.deps.tickets.record(
        { ticketId },
        actor,
        { type: "comment", author: actor.isAgent ? "agent" : "customer", visibility: "public", text },
        `teams:msg:${baseConversationId(activity.conversation.id)}:${activity.id}`,
      );
    } catch (thrown) {
      const known = thrown instanceof TicketCommandError;
      if (!known) this.deps.logger.error({ err: thrown, ticketId }, "thread reply not recorded");
      const why = known ? thrown.message : "something went wrong on our side; please send it again";
      await reply(context, this.deps, `Not recorded on the ticket: ${why}`);
      if (!known) throw thrown;
    }
  }

  /** Action.Submit (clients without Universal Actions): answered in the conversation. */
  private async submitted(context: TurnContext, verb: string, data: unknown): Promise<void> {
    const outcome = await runCardVerb(this.deps, context.activity, verb, data);
    if ("message" in outcome) return reply(context, this.deps, outcome.message);
    const replyTo = context.activity.replyToId;
    if (replyTo) await context.updateActivity({ ...cardActivity("Escalator", outcome.card), id: replyTo });
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const outcome = await runCardVerb(this.deps, context.activity, invoke.action.verb, invoke.action.data);
    return invokeResponse(outcome);
  }

  protected override async handleTeamsMessagingExtensionFetchTask(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action.commandId !== createFromMessageCommand) return {};
    return createFromMessageDialog(this.deps, context.activity, action);
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(
    context: TurnContext,
    action: MessagingExtensionAction,
  ): Promise<MessagingExtensionActionResponse> {
    if (action.commandId !== createFromMessageCommand) return {};
    return submitCreateFromMessage(this.deps, context.activity, action);
  }
}

/** The clicked card is replaced for the clicker by the refreshed one, or a message is shown to them. */
function invokeResponse(outcome: CardOutcome): AdaptiveCardInvokeResponse {
  if ("card" in outcome)
    return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: outcome.card as never };
  return {
    statusCode: 200,
    type: "application/vnd.microsoft.activity.message",
    value: outcome.message as never,
  };
}
