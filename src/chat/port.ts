import type { DigestChart } from "../reports/digestChart.js";

/**
 * The one interface between Escalator and a chat platform for everything the bot sends. Slack, Teams and
 * the terminal implement it; the dispatcher is its only caller, so every message goes through the outbox.
 */

export type Platform = "slack" | "teams" | "terminal";

/** Where a message goes. `thread: "ticket"` means the ticket's thread (resolved by the dispatcher). */
export interface Destination {
  platform: Platform;
  workspaceId: string;
  channelId?: string;
  userId?: string;
  /** A channel known by its name in the policy (e.g. "support-escalations"); the adapter maps it. */
  channelName?: string;
  /**
   * "ticket": the ticket's thread (its card in the channel where it was opened, which customers may read).
   * "triage": the thread of the ticket's copy in its internal triage channel (`channelName`), for the team only;
   * a ticketCard sent there is that copy, edited in place like the card.
   */
  thread?: "ticket" | "triage";
}

/**
 * Words as structure, so that each renderer formats them its own way and nothing a person typed becomes
 * markup: a string is the bot's own words, `{ typed }` is what a person wrote, `{ person }` is a user id the
 * platform may mention. Strings and typed words are plain text: renderers escape both for their format.
 */
export type RichText = (string | { typed: string } | { person: string })[];

/**
 * What a message is about; each platform has one renderer that turns it into blocks, cards or text.
 * Every string in a body is plain text (never Slack mrkdwn or Teams markdown); renderers escape it. The one
 * exception is `notice`: Escalator's own words (on-call handoffs, gaps) with `<@id>` mentions it wrote.
 * `threadNote.text` is the note's words with people as `@id`, for a renderer that ignores `parts`;
 * `parts` (absent on rows written before it existed) carries the same words as structure.
 */
export type MessageBody =
  | { type: "ticketCard"; ticket: TicketView }
  | { type: "threadNote"; ticket: TicketView; text: string; parts?: RichText; actorId?: string }
  /**
   * A page to one person. `pageKey` names this page of the ladder: a renderer that draws the page's moves
   * (Acknowledge, Snooze, Escalate now, Reassign — see docs/slack.md) passes it back with "Escalate now", so
   * that a page escalated already is not escalated again. Renderers without buttons may ignore it.
   */
  | { type: "page"; ticket: TicketView; level: number; reason: string; late?: boolean; pageKey?: string }
  | { type: "escalation"; ticket: TicketView; title: string; text: string; late?: boolean }
  | { type: "notice"; ticket?: TicketView; text: string }
  /**
   * The weekly SLA digest: `text` is Escalator's own words like a notice's (the message, and the fallback
   * wherever no image goes); `chart` is the numbers a renderer draws into a PNG (chartImage.ts) where its
   * platform shows images well. See docs/delivery.md for how the image goes out once.
   */
  | { type: "digest"; text: string; chart: DigestChart | null }
  | { type: "adminAlert"; text: string }
  /**
   * Several pages and alerts for one conversation that were waiting behind its platform's rate, sent as one
   * message (the dispatcher bundles them; see src/scheduler/bundle.ts). Each item is drawn as a row with what
   * its own message would offer first: a page's Acknowledge works exactly as on a page of its own.
   */
  | { type: "bundle"; items: BundledBody[] };

/** What may be bundled: pages and alerts, which have no place in a thread's order. */
export type BundledBody = MessageBody & { type: "page" | "escalation" };

/** A ticket as the renderers show it: plain data, instants as ISO strings. */
export interface TicketView {
  id: string;
  workspaceId: string;
  number: number;
  summary: string;
  severity: string;
  severityLabel: string;
  channel: string;
  plan: string | null;
  category: string | null;
  status: string;
  requesterId: string;
  assigneeId: string | null;
  openedAt: string;
  zone: string;
  targets: {
    name: string;
    label: string;
    due: string | null;
    state: string;
    /** Owed at once (`within: immediate`): shown as "respond now" until `due`, the end of its grace. */
    immediate?: boolean;
    /** Set after a severity change rescheduled the target: its due instant before (null: it had none). */
    previousDue?: string | null;
    /** The instant of the severity change that rescheduled it. */
    rescheduledAt?: string;
  }[];
  permalink?: string | null;
}

export interface OutgoingMessage {
  /** The outbox row's unique key; adapters may pass it on as a platform idempotency key. */
  key: string;
  destination: Destination;
  body: MessageBody;
  /** The ticket's thread root on this platform, when the message belongs in the thread. */
  thread?: { channelId: string; messageId: string };
  /** Set when this message edits one already sent (the ticket card). */
  edit?: { channelId: string; messageId: string };
  /**
   * The permalink of the ticket's card on this platform, looked up by the dispatcher for a whole batch (null:
   * it has none). Absent: the adapter looks it up itself if it wants it.
   */
  threadLink?: string | null;
  /** Which attempt this is (1 for the first); an adapter may send less on a late attempt (the digest's chart). */
  attempt?: number;
}

export interface Delivered {
  channelId: string;
  messageId: string;
  permalink?: string;
  /**
   * Sent, but not all of it (the digest went without its chart): what was left out and why. The dispatcher
   * tells the operator (log and admin channel); the message is not sent again.
   */
  degraded?: string;
}

export interface ChatPort {
  readonly platform: Platform;
  send(message: OutgoingMessage): Promise<Delivered>;
}

/** The platform said "later" (429, 5xx, network): try again, after `retryAfterMs` when the platform said so. */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RetryableSendError";
  }
}

/** The platform said "never" (channel_not_found, not_in_channel, invalid_auth): report to an admin. */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentSendError";
  }
}
