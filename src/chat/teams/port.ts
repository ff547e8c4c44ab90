import type { DateTime } from "luxon";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import type { Policy } from "../../policy/types.js";
import { cardPermalinks } from "../permalinks.js";
import type { ChatPort, Delivered, MessageBody, OutgoingMessage } from "../port.js";
import { PermanentSendError } from "../port.js";
import type { TeamsConnector } from "./connector.js";
import type { ConversationStore, StoredConversation } from "./conversations.js";
import { toSendError } from "./errors.js";
import { type PeopleNames, peopleNames } from "./people.js";
import { digestChartUri } from "./render/digest.js";
import { renderActivity } from "./render/index.js";
import { notePeople } from "./render/note.js";
import { mentionedIds } from "./render/text.js";

export interface TeamsPortDeps {
  prisma: PrismaClient;
  conversations: ConversationStore;
  connector: TeamsConnector;
  policy: Policy;
  /** Policy channel names → channel ids (TEAMS_CHANNEL_MAP). */
  channelMap: Map<string, string>;
  /** AAD object ids of the agents, whose clients refresh a ticket card into the agent view. */
  agentIds: () => string[];
  now: () => DateTime;
  logger: Logger;
}

/** The Teams side of the outbox: the dispatcher hands each message here; errors become Retryable/Permanent. */
export class TeamsPort implements ChatPort {
  readonly platform = "teams" as const;

  constructor(private readonly deps: TeamsPortDeps) {}

  async send(message: OutgoingMessage): Promise<Delivered> {
    try {
      return await this.deliver(message);
    } catch (thrown) {
      const error = toSendError(thrown);
      this.deps.logger.debug({ key: message.key, err: error }, "teams send failed");
      throw error;
    }
  }

  private async deliver(message: OutgoingMessage): Promise<Delivered> {
    const { body } = message;
    const names = await this.namesFor(body);
    // The digest's chart is drawn here (the renderer is synchronous); when it cannot go, the text goes alone.
    const chart = body.type === "digest" && body.chart ? await digestChartUri(body.chart) : undefined;
    const activity = renderActivity(body, {
      now: this.deps.now(),
      policy: this.deps.policy,
      nameOf: names.nameOf,
      threadLink:
        message.threadLink !== undefined ? (message.threadLink ?? undefined) : await this.threadLink(body),
      ...(body.type === "bundle"
        ? {
            threadLinks: await cardPermalinks(
              this.deps.prisma,
              "teams",
              body.items.map((i) => i.ticket.id),
            ),
          }
        : {}),
      ...(body.type === "ticketCard" ? { refreshUserIds: names.refreshUserIds } : {}),
      ...(chart && "uri" in chart ? { chartImage: chart.uri } : {}),
    });
    const delivered = await this.post(message, activity);
    if (chart && "degraded" in chart) delivered.degraded = `${chart.degraded}; the text went alone`;
    return delivered;
  }

  private async post(
    message: OutgoingMessage,
    activity: ReturnType<typeof renderActivity>,
  ): Promise<Delivered> {
    const { body } = message;
    const { connector, conversations } = this.deps;
    if (message.edit) {
      const target = await conversations.byConversation(message.edit.channelId);
      await connector.update(target, message.edit.messageId, activity, target.kind === "channel");
      return { channelId: message.edit.channelId, messageId: message.edit.messageId };
    }
    if (message.thread) {
      const target = await conversations.byConversation(message.thread.channelId);
      // Only channels have threads; in a chat the ticket's messages follow one another.
      const root = target.kind === "channel" ? message.thread.messageId : undefined;
      const id = await connector.post(target, activity, root);
      return { channelId: target.conversationId, messageId: id };
    }
    const target = await this.targetOf(message);
    const newPost = target.kind === "channel" && (body.type === "ticketCard" || body.type === "escalation");
    const id = newPost
      ? await connector.newChannelPost(target, activity)
      : await connector.post(target, activity);
    if (!id) throw new PermanentSendError("Teams accepted the message but returned no id");
    const delivered: Delivered = { channelId: target.conversationId, messageId: id };
    if (body.type === "ticketCard" && target.kind === "channel")
      delivered.permalink = messageLink(target, id);
    return delivered;
  }

  /** A conversation id as given, a policy channel by name, or a person's 1:1 chat with the bot. */
  private async targetOf(message: OutgoingMessage): Promise<StoredConversation> {
    const d = message.destination;
    if (d.channelId) return this.deps.conversations.byConversation(d.channelId);
    if (d.channelName) {
      // A triage channel (or a policy channel) may be given by its Teams id; ids keep their case.
      if (TEAMS_CHANNEL_ID.test(d.channelName)) return this.deps.conversations.byConversation(d.channelName);
      const name = d.channelName.replace(/^#/, "").toLowerCase();
      const id = this.deps.channelMap.get(name) ?? (await this.deps.conversations.channelNamed(name));
      if (!id)
        throw new PermanentSendError(
          `no Teams channel named #${name} is known; map it in TEAMS_CHANNEL_MAP (name=19:…@thread.tacv2)`,
        );
      return this.deps.conversations.byConversation(id);
    }
    if (d.userId) return this.deps.conversations.personal(d.userId);
    throw new PermanentSendError(`message ${message.key} has no Teams conversation, channel name or user`);
  }

  private async namesFor(body: MessageBody): Promise<PeopleNames> {
    const ids = ["text" in body ? mentionedIds(body.text) : [], notePeople(body)].flat();
    if ("ticket" in body && body.ticket) {
      ids.push(body.ticket.requesterId);
      if (body.ticket.assigneeId) ids.push(body.ticket.assigneeId);
    }
    if (body.type === "ticketCard") ids.push(...this.deps.agentIds());
    return peopleNames(
      this.deps.conversations,
      ids,
      body.type === "ticketCard" ? body.ticket.requesterId : null,
    );
  }

  private async threadLink(body: MessageBody): Promise<string | undefined> {
    if (body.type !== "page" && body.type !== "escalation") return undefined;
    const root = await this.deps.prisma.chatLink.findFirst({
      where: { ticketId: body.ticket.id, platform: "teams", kind: "root" },
      orderBy: { id: "asc" },
      select: { permalink: true },
    });
    return root?.permalink ?? undefined;
  }
}

const TEAMS_CHANNEL_ID = /^19:[^\s]+@thread\.(tacv2|skype)$/;

/** A link that opens a channel post in Teams (the card, the thread root). */
function messageLink(channel: StoredConversation, messageId: string): string {
  const params = new URLSearchParams({ parentMessageId: messageId });
  if (channel.tenantId) params.set("tenantId", channel.tenantId);
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel.conversationId)}/${messageId}?${params}`;
}
