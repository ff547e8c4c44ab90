import { webApi } from "@slack/bolt";
import type { WebClient } from "./client.js";

const READY_FOR_MS = 10 * 60_000;

export type ChannelCheck = { ok: true } | { ok: false; why: string };

/**
 * Whether the bot can follow a ticket's thread in a channel, asked before anything is written: it must be a
 * member to receive the replies (message.channels / message.groups events). Public channels it is not in
 * are joined (`conversations.join`, scope channels:join); direct messages, group DMs and private channels
 * it is not in are refused with what to do instead. A channel found ready is remembered for ten minutes.
 */
export class ChannelAccess {
  private readonly ready = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async check(client: WebClient, workspaceId: string, channelId: string): Promise<ChannelCheck> {
    const key = `${workspaceId}:${channelId}`;
    const at = this.ready.get(key);
    if (at !== undefined && this.clock() - at < READY_FOR_MS) return { ok: true };
    const result = await this.ask(client, channelId);
    if (result.ok) this.ready.set(key, this.clock());
    return result;
  }

  /** A refusal known without asking Slack (a direct message, by its id), so it can be the ack itself. */
  refusalAtOnce(channelId: string): string | undefined {
    return channelId.startsWith("D") ? refusal.directMessage.why : undefined;
  }

  private async ask(client: WebClient, channelId: string): Promise<ChannelCheck> {
    if (channelId.startsWith("D")) return refusal.directMessage;
    const info = await platformError(() => client.conversations.info({ channel: channelId }));
    if (typeof info === "string")
      return info === "channel_not_found" ? refusal.private : refusal.cannot(info);
    const channel = info.channel ?? {};
    if (channel.is_im || channel.is_mpim) return refusal.directMessage;
    if (channel.is_archived) return refusal.cannot("is_archived");
    if (channel.is_member) return { ok: true };
    if (channel.is_private) return refusal.private;
    const joined = await platformError(() => client.conversations.join({ channel: channelId }));
    return typeof joined === "string" ? refusal.cannot(joined) : { ok: true };
  }
}

const ELSEWHERE =
  "Open it in a channel I am in, e.g. your support channel, so that the team and you can follow its thread.";

const refusal = {
  directMessage: {
    ok: false,
    why: `I can't open a ticket in a direct message: I would not see the replies in its thread. ${ELSEWHERE}`,
  },
  private: {
    ok: false,
    why: `I am not in this channel, so I would not see the replies in the ticket's thread. Invite me with \`/invite @escalator\` and try again, or: ${ELSEWHERE}`,
  },
  cannot: (code: string): ChannelCheck => ({
    ok: false,
    why: `I can't follow a ticket's thread in this channel (Slack says ${code}). Invite me with \`/invite @escalator\`, or: ${ELSEWHERE}`,
  }),
} as const;

/** A Slack refusal (its error code) as a value; anything else (network, 429, 5xx) is thrown on. */
async function platformError<T>(call: () => Promise<T>): Promise<T | string> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
    throw error;
  }
}
