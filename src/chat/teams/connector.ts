import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import type { StoredConversation } from "./conversations.js";
import { threadConversationId } from "./conversations.js";

/**
 * The three proactive operations the outbox needs, on a stored conversation reference: post in a
 * conversation (or a channel thread), start a new channel post (a thread root), and edit a message.
 */
export class TeamsConnector {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /** Posts into the conversation, or into the channel thread rooted at `threadRoot`. */
  async post(target: StoredConversation, activity: Partial<Activity>, threadRoot?: string): Promise<string> {
    const conversationId = threadRoot
      ? threadConversationId(target.conversationId, threadRoot)
      : target.conversationId;
    let id = "";
    await this.continue(target, conversationId, async (context) => {
      const sent = await context.sendActivity(activity);
      id = sent?.id ?? "";
    });
    return id;
  }

  /** A new post in a channel: Teams answers with the thread's conversation id "…;messageid=<root>". */
  async newChannelPost(channel: StoredConversation, activity: Partial<Activity>): Promise<string> {
    let id = "";
    await this.continue(channel, channel.conversationId, async (context) => {
      const client = context.turnState.get(context.adapter.ConnectorClientKey) as ConnectorClient;
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: channel.reference.bot!,
        tenantId: channel.tenantId ?? undefined,
        channelData: { channel: { id: channel.conversationId }, tenant: { id: channel.tenantId } },
        activity: activity as Activity,
      } as never);
      id = created.activityId ?? /;messageid=([^;]+)/.exec(created.id ?? "")?.[1] ?? "";
    });
    return id;
  }

  async update(
    target: StoredConversation,
    messageId: string,
    activity: Partial<Activity>,
    inThread: boolean,
  ): Promise<void> {
    const conversationId = inThread
      ? threadConversationId(target.conversationId, messageId)
      : target.conversationId;
    await this.continue(target, conversationId, async (context) => {
      await context.updateActivity({ ...activity, id: messageId });
    });
  }

  private continue(
    target: StoredConversation,
    conversationId: string,
    logic: Parameters<CloudAdapter["continueConversationAsync"]>[2] & object,
  ): Promise<void> {
    const reference: Partial<ConversationReference> = {
      ...target.reference,
      conversation: { ...target.reference.conversation!, id: conversationId },
    };
    return this.adapter.continueConversationAsync(this.appId, reference, logic as never);
  }
}
