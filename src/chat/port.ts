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
  thread?: "ticket";
}

/** What a message is about; each platform has one renderer that turns it into blocks, cards or text. */
export type MessageBody =
  | { type: "ticketCard"; ticket: TicketView }
  | { type: "threadNote"; ticket: TicketView; text: string; actorId?: string }
  /**
   * A page to one person. `pageKey` names this page of the ladder: a renderer that draws the page's moves
   * (Acknowledge, Snooze, Escalate now, Reassign — see docs/slack.md) passes it back with "Escalate now", so
   * that a page escalated already is not escalated again. Renderers without buttons may ignore it.
   */
  | { type: "page"; ticket: TicketView; level: number; reason: string; late?: boolean; pageKey?: string }
  | { type: "escalation"; ticket: TicketView; title: string; text: string; late?: boolean }
  | { type: "notice"; ticket?: TicketView; text: string }
  | { type: "adminAlert"; text: string };

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
  targets: { name: string; label: string; due: string | null; state: string }[];
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
}

export interface Delivered {
  channelId: string;
  messageId: string;
  permalink?: string;
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
