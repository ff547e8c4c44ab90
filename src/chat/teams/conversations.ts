import type { Activity, ConversationReference } from "botbuilder";
import { TurnContext } from "botbuilder";
import type { Prisma, PrismaClient } from "../../generated/prisma/client.js";
import { PermanentSendError } from "../port.js";

/** A channel's conversation id without the thread part: "19:abc@thread.tacv2;messageid=17" → "19:abc@thread.tacv2". */
export function baseConversationId(id: string): string {
  return id.split(";messageid=")[0] ?? id;
}

/** The root message of a channel thread the conversation id names, if any. */
export function threadRootOf(id: string): string | undefined {
  return /;messageid=([^;]+)/.exec(id)?.[1];
}

export const threadConversationId = (channelId: string, messageId: string) =>
  `${channelId};messageid=${messageId}`;

export interface StoredConversation {
  conversationId: string;
  kind: string;
  tenantId: string | null;
  serviceUrl: string;
  userAadId: string | null;
  userId: string | null;
  userName: string | null;
  reference: Partial<ConversationReference>;
}

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; name?: string };
  channel?: { id?: string; name?: string };
}

/**
 * The conversation references the bot needs to write first (pages, alerts, cards): one row per personal chat,
 * group chat and channel, refreshed from every activity that reaches the bot.
 */
export class ConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async capture(activity: Activity): Promise<void> {
    const conversation = activity.conversation;
    if (!conversation?.id || !activity.serviceUrl) return;
    const data = activity.channelData as TeamsChannelData | undefined;
    const kind = conversation.conversationType ?? (conversation.isGroup ? "groupChat" : "personal");
    const conversationId = baseConversationId(conversation.id);
    const reference = TurnContext.getConversationReference(activity);
    reference.conversation = { ...reference.conversation!, id: conversationId };
    const personal = kind === "personal";
    const channelName = kind === "channel" ? channelNameOf(data, conversationId) : undefined;
    const fields = {
      tenantId: conversation.tenantId ?? data?.tenant?.id ?? null,
      serviceUrl: activity.serviceUrl,
      kind,
      reference: reference as Prisma.InputJsonValue,
      ...(personal && activity.from?.aadObjectId
        ? {
            userAadId: activity.from.aadObjectId,
            userId: activity.from.id,
            userName: activity.from.name ?? null,
          }
        : {}),
      ...(data?.team?.id ? { teamId: data.team.id } : {}),
      ...(channelName ? { channelName } : {}),
    };
    await this.prisma.teamsConversation.upsert({
      where: { conversationId },
      create: { conversationId, ...fields },
      update: fields,
    });
  }

  async byConversation(conversationId: string): Promise<StoredConversation> {
    const row = await this.prisma.teamsConversation.findUnique({
      where: { conversationId: baseConversationId(conversationId) },
    });
    if (!row)
      throw new PermanentSendError(
        `Escalator has no Teams conversation ${conversationId} on record; add the app to that team or chat first`,
      );
    return toStored(row);
  }

  /** A person's 1:1 chat with the bot, by AAD object id; they must have the app installed. */
  async personal(aadObjectId: string): Promise<StoredConversation> {
    const row = await this.prisma.teamsConversation.findFirst({
      where: { userAadId: aadObjectId, kind: "personal" },
      orderBy: { updatedAt: "desc" },
    });
    if (!row)
      throw new PermanentSendError(
        `cannot message Teams user ${aadObjectId}: they have not installed the Escalator app (no personal chat on record); install it for them (Teams admin center) or ask them to open it once`,
      );
    return toStored(row);
  }

  /** A channel the bot has seen under this name (lower case, without "#"). */
  async channelNamed(name: string): Promise<string | undefined> {
    const row = await this.prisma.teamsConversation.findFirst({
      where: { kind: "channel", channelName: name },
      orderBy: { updatedAt: "desc" },
      select: { conversationId: true },
    });
    return row?.conversationId;
  }

  /** Display names and Teams user ids of people by AAD object id, for mentions and card refresh lists. */
  async people(aadObjectIds: string[]): Promise<Map<string, { name: string | null; userId: string | null }>> {
    const ids = [...new Set(aadObjectIds)];
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.teamsConversation.findMany({
      where: { userAadId: { in: ids }, kind: "personal" },
      select: { userAadId: true, userName: true, userId: true },
    });
    return new Map(rows.map((r) => [r.userAadId!, { name: r.userName, userId: r.userId }]));
  }
}

/** Teams names a team's first channel "General" only implicitly: its id is the team's id. */
function channelNameOf(data: TeamsChannelData | undefined, conversationId: string): string | undefined {
  const name = data?.channel?.name ?? (data?.team?.id === conversationId ? "general" : undefined);
  return name ? name.replace(/^#/, "").toLowerCase() : undefined;
}

function toStored(row: Omit<StoredConversation, "reference"> & { reference: unknown }): StoredConversation {
  return { ...row, reference: row.reference as Partial<ConversationReference> };
}
