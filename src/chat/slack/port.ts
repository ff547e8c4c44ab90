import type { DateTime } from "luxon";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import { cardPermalinks } from "../permalinks.js";
import type { ChatPort, Delivered, OutgoingMessage } from "../port.js";
import { PermanentSendError } from "../port.js";
import type { ChannelDirectory } from "./channels.js";
import type { WebClient, WebClients } from "./client.js";
import { postDigest } from "./digest.js";
import { toSendError } from "./errors.js";
import type { PrismaInstallationStore } from "./installations.js";
import { renderMessage } from "./render.js";

export interface SlackPortDeps {
  prisma: PrismaClient;
  installations: PrismaInstallationStore;
  clients: WebClients;
  channels: ChannelDirectory;
  now: () => DateTime;
  logger: Logger;
  /** Told after a ticket card was posted or edited (the App Home refresh listens). */
  onTicketChanged?: (workspaceId: string) => void;
}

/** The Slack side of the outbox: the dispatcher hands each message here; errors become Retryable/Permanent. */
export class SlackPort implements ChatPort {
  readonly platform = "slack" as const;
  private readonly dms = new Map<string, string>();

  constructor(private readonly deps: SlackPortDeps) {}

  async send(message: OutgoingMessage): Promise<Delivered> {
    const { body, destination } = message;
    try {
      const { token } = await this.deps.installations.credentialsFor(destination.workspaceId);
      const client = this.deps.clients.for(token);
      const ticketId = "ticket" in body ? body.ticket?.id : undefined;
      const threadLink =
        (body.type === "page" || body.type === "escalation") && ticketId
          ? message.threadLink !== undefined
            ? (message.threadLink ?? undefined)
            : await this.threadLink(ticketId)
          : undefined;
      const threadLinks =
        body.type === "bundle"
          ? await cardPermalinks(
              this.deps.prisma,
              "slack",
              body.items.map((i) => i.ticket.id),
            )
          : undefined;
      const now = this.deps.now;
      // Read only by what shows times (the card): a page has none, and a DateTime each costs 0.05 ms.
      const rendered = renderMessage(body, {
        get now() {
          return now();
        },
        threadLink,
        threadLinks,
      });
      if (body.type === "digest" && !message.edit && !message.thread) {
        const channel = await this.channelOf(client, message);
        return await postDigest(client, channel, body, rendered, message.attempt ?? 1);
      }
      const delivered = message.edit
        ? await this.edit(client, message.edit, rendered)
        : await this.post(client, message, rendered);
      if (body.type === "ticketCard") this.deps.onTicketChanged?.(destination.workspaceId);
      return delivered;
    } catch (thrown) {
      const error = toSendError(thrown);
      this.deps.logger.debug({ key: message.key, err: error }, "slack send failed");
      throw error;
    }
  }

  private async edit(
    client: WebClient,
    target: { channelId: string; messageId: string },
    rendered: ReturnType<typeof renderMessage>,
  ): Promise<Delivered> {
    await client.chat.update({ channel: target.channelId, ts: target.messageId, ...rendered });
    return { channelId: target.channelId, messageId: target.messageId };
  }

  private async post(
    client: WebClient,
    message: OutgoingMessage,
    rendered: ReturnType<typeof renderMessage>,
  ): Promise<Delivered> {
    const channel = message.thread?.channelId ?? (await this.channelOf(client, message));
    const posted = await client.chat.postMessage({
      channel,
      ...rendered,
      ...(message.thread ? { thread_ts: message.thread.messageId } : {}),
      unfurl_links: false,
      unfurl_media: false,
    });
    const delivered: Delivered = { channelId: posted.channel ?? channel, messageId: posted.ts ?? "" };
    if (!posted.ts) throw new PermanentSendError("Slack accepted the message but returned no ts");
    // The first card is the ticket's thread root; its permalink is what alerts elsewhere link to.
    if (message.body.type === "ticketCard") {
      const link = await client.chat
        .getPermalink({ channel: delivered.channelId, message_ts: delivered.messageId })
        .catch(() => undefined);
      if (link?.permalink) delivered.permalink = link.permalink;
    }
    return delivered;
  }

  /** A channel id as given, a policy channel by name, or a person's direct message with the bot. */
  private async channelOf(client: WebClient, message: OutgoingMessage): Promise<string> {
    const d = message.destination;
    if (d.channelId) return d.channelId;
    if (d.channelName) return this.deps.channels.resolve(client, d.workspaceId, d.channelName);
    if (d.userId) return this.directMessage(client, d.workspaceId, d.userId);
    throw new PermanentSendError(`message ${message.key} has no Slack channel, channel name or user`);
  }

  private async directMessage(client: WebClient, workspaceId: string, userId: string): Promise<string> {
    const key = `${workspaceId}:${userId}`;
    const known = this.dms.get(key);
    if (known) return known;
    const opened = await client.conversations.open({ users: userId });
    const id = opened.channel?.id;
    if (!id) throw new PermanentSendError(`Slack opened no direct message with ${userId}`);
    this.dms.set(key, id);
    return id;
  }

  private async threadLink(ticketId: string): Promise<string | undefined> {
    const root = await this.deps.prisma.chatLink.findFirst({
      where: { ticketId, platform: "slack", kind: "root" },
      orderBy: { id: "asc" },
      select: { permalink: true },
    });
    return root?.permalink ?? undefined;
  }
}
