import type { Activity, CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
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

  private async continue(
    target: StoredConversation,
    conversationId: string,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const reference: Partial<ConversationReference> = {
      ...target.reference,
      conversation: { ...target.reference.conversation!, id: conversationId },
    };
    // The adapter hands errors inside a turn to onTurnError (which logs them); the outbox needs them thrown.
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, reference, (async (context: TurnContext) => {
      throughTheOutbox(context);
      try {
        await logic(context);
      } catch (error) {
        failure = error;
      }
    }) as never);
    if (failure !== undefined) throw failure;
  }
}

interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}
interface Pipeline {
  removePolicy(filter: { phase?: "Retry"; name?: string }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: unknown,
      next: (request: unknown) => Promise<PipelineResponse>,
    ): Promise<PipelineResponse>;
  }): void;
}

/**
 * Two changes to the connector's HTTP pipeline. It retries throttled calls itself, waiting out Retry-After
 * inside the send: the outbox retries with backoff instead, so one throttled thread holds up nothing else.
 * And botbuilder's client answers some refusals (429 among them) with an empty result instead of an error:
 * every 4xx/5xx becomes an error carrying its status and headers, for toSendError to sort.
 */
function throughTheOutbox(context: TurnContext): void {
  const connector = context.turnState.get(context.adapter.ConnectorClientKey) as
    | { client?: { pipeline?: Pipeline } }
    | undefined;
  const pipeline = connector?.client?.pipeline;
  if (!pipeline) return;
  pipeline.removePolicy({ phase: "Retry" });
  pipeline.removePolicy({ name: "escalatorHttpStatus" });
  pipeline.addPolicy({
    name: "escalatorHttpStatus",
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status >= 400)
        throw Object.assign(new Error(`Bot Connector answered HTTP ${response.status}`), {
          statusCode: response.status,
          response,
        });
      return response;
    },
  });
}
