import type { Delivered, Destination, MessageBody, OutgoingMessage } from "../chat/port.js";
import type { Store } from "../store/db.js";
import type { ClaimedNotification } from "../store/outbox.js";

/** The thread roots of a batch's tickets: `<ticketId>:<platform>:<root|triage>` → the card's message. */
export type ThreadRoots = Map<string, { channelId: string; messageId: string; permalink: string | null }>;

/**
 * The thread roots of every ticket in the batch, per platform, in one query: the card in the ticket's own
 * channel ("root") and its copy in the triage channel ("triage").
 */
export async function threadRoots(store: Store, rows: ClaimedNotification[]): Promise<ThreadRoots> {
  // Thread rows need their root; pages and alerts link to the card (its permalink).
  const ticketIds = [...new Set(rows.flatMap((r) => (r.ticketId ? [r.ticketId] : [])))];
  const roots: ThreadRoots = new Map();
  if (ticketIds.length === 0) return roots;
  // Straight on the driver (Store.queries), as every statement of the dispatcher's outside a transaction.
  const links = await store.queries.query<{
    ticketId: string;
    platform: string;
    kind: string;
    channelId: string;
    messageId: string;
    permalink: string | null;
  }>(
    `SELECT "ticketId", platform, kind, "channelId", "messageId", permalink FROM "ChatLink"
      WHERE "ticketId" = ANY($1::uuid[]) AND kind IN ('root', 'triage')
      ORDER BY id`,
    [ticketIds],
  );
  for (const link of links) {
    const key = `${link.ticketId}:${link.platform}:${link.kind}`;
    if (!roots.has(key))
      roots.set(key, { channelId: link.channelId, messageId: link.messageId, permalink: link.permalink });
  }
  return roots;
}

const linkKind = (destination: Destination) => (destination.thread === "triage" ? "triage" : "root");

/** The message for a row: in one of the ticket's threads, or (the ticket card) an edit of its first post. */
export function prepare(row: ClaimedNotification, roots: ThreadRoots): OutgoingMessage {
  const destination = row.target as Destination;
  const body = row.payload as MessageBody;
  const message: OutgoingMessage = { key: row.key, destination, body, attempt: row.attempts };
  if (!destination.thread) {
    // Always said, so no adapter looks it up per message; a row without a ticket (deleted) has no card.
    if (body.type === "page" || body.type === "escalation")
      message.threadLink = row.ticketId
        ? (roots.get(`${row.ticketId}:${destination.platform}:root`)?.permalink ?? null)
        : null;
    return message;
  }
  if (!row.ticketId) return message;
  const root = roots.get(`${row.ticketId}:${destination.platform}:${linkKind(destination)}`);
  if (!root) return message;
  const { channelId, messageId } = root;
  if (body.type === "ticketCard") message.edit = { channelId, messageId };
  else message.thread = { channelId, messageId };
  return message;
}

export async function recordDelivery(
  store: Store,
  row: ClaimedNotification,
  message: OutgoingMessage,
  delivered: Delivered,
  now: Date,
): Promise<void> {
  if (!row.ticketId || message.body.type !== "ticketCard" || message.edit) return;
  // The first card becomes the thread root: every later update of this ticket goes into its thread.
  // Its copy in the triage channel becomes the root of the team's own thread.
  // Raw SQL, not `createMany` (whose query plan Prisma compiles anew each time); ON CONFLICT DO NOTHING is
  // `skipDuplicates`: a card recorded twice keeps its first link.
  const d = message.destination;
  await store.queries.query(
    `INSERT INTO "ChatLink" ("ticketId", platform, kind, "workspaceId", "channelId", "messageId", "threadId", permalink, "createdAt")
     VALUES ($1::uuid, $2, $3, $4, $5, $6, $6, $7, $8)
     ON CONFLICT DO NOTHING`,
    [
      row.ticketId,
      d.platform,
      linkKind(d),
      d.workspaceId,
      delivered.channelId,
      delivered.messageId,
      delivered.permalink ?? null,
      now,
    ],
  );
}
