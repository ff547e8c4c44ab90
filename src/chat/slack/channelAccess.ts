import { webApi } from "@slack/bolt";
import type { WebClient } from "./client.js";
import { isDirectMessage } from "./pending.js";

const READY_FOR_MS = 10 * 60_000;

export type ChannelCheck = { ok: true } | { ok: false; why: string };
/** What the bot would do there: follow a ticket's thread, or post the SLA digest (`/ticket digest post`). */
export type ChannelPurpose = "ticket" | "digest";

/**
 * Whether the bot can follow a ticket's thread in a channel, asked before anything is written: it must be a
 * member to receive the replies (message.channels / message.groups events). Public channels it is not in
 * are joined (`conversations.join`, scope channels:join); direct messages, group DMs and private channels
 * it is not in are refused with what to do instead. A channel found ready is remembered for ten minutes.
 * Posting the digest needs the same (a file can only be shared where the bot is a member); only the words of
 * the refusal differ.
 */
export class ChannelAccess {
  private readonly ready = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  async check(
    client: WebClient,
    workspaceId: string,
    channelId: string,
    purpose: ChannelPurpose = "ticket",
  ): Promise<ChannelCheck> {
    const key = `${workspaceId}:${channelId}`;
    const at = this.ready.get(key);
    if (at !== undefined && this.clock() - at < READY_FOR_MS) return { ok: true };
    const result = await this.ask(client, channelId, refusals[purpose]);
    if (result.ok) this.ready.set(key, this.clock());
    return result;
  }

  /** A refusal known without asking Slack (a direct message, by its id), so it can be the ack itself. */
  refusalAtOnce(channelId: string): string | undefined {
    return isDirectMessage(channelId) ? refusals.ticket.directMessage.why : undefined;
  }

  private async ask(client: WebClient, channelId: string, refusal: Refusals): Promise<ChannelCheck> {
    if (isDirectMessage(channelId)) return refusal.directMessage;
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

type Refused = ChannelCheck & { ok: false };

interface Refusals {
  directMessage: Refused;
  private: Refused;
  cannot: (code: string) => Refused;
}

const ELSEWHERE =
  "Open it in a channel I am in, e.g. your support channel, so that the team and you can follow its thread.";
const READ_HERE = "or type `/ticket digest` to read it yourself, here.";
const INVITE = "Invite me with `/invite @escalator` and try again";

const refusals: Record<ChannelPurpose, Refusals> = {
  ticket: {
    directMessage: {
      ok: false,
      why: `I can't open a ticket in a direct message: I would not see the replies in its thread. ${ELSEWHERE}`,
    },
    private: {
      ok: false,
      why: `I am not in this channel, so I would not see the replies in the ticket's thread. ${INVITE}, or: ${ELSEWHERE}`,
    },
    cannot: (code) => ({
      ok: false,
      why: `I can't follow a ticket's thread in this channel (Slack says ${code}). Invite me with \`/invite @escalator\`, or: ${ELSEWHERE}`,
    }),
  },
  digest: {
    directMessage: {
      ok: false,
      why: `I can't post the digest in a direct message. Type \`/ticket digest post\` in a channel I am in, ${READ_HERE}`,
    },
    private: {
      ok: false,
      why: `I am not in this channel, so I can't post the digest here. ${INVITE}, ${READ_HERE}`,
    },
    cannot: (code) => ({
      ok: false,
      why: `I can't post the digest in this channel (Slack says ${code}). ${INVITE}, ${READ_HERE}`,
    }),
  },
};

/** A Slack refusal (its error code) as a value; anything else (network, 429, 5xx) is thrown on. */
async function platformError<T>(call: () => Promise<T>): Promise<T | string> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
    throw error;
  }
}
