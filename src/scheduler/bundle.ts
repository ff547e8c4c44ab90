import type { BundledBody, Destination, MessageBody, OutgoingMessage } from "../chat/port.js";
import type { ClaimedNotification } from "../store/outbox.js";
import { conversationKey } from "./pacer.js";

/**
 * The most items one bundled message holds. Slack draws a heading and a row (a section with its button) per
 * item, inside its 50 blocks a message and the ≈13 k characters of block text it accepts; a Teams card of
 * 45 rows stays far under its 100 KB. At Slack's one message a second per conversation that is 45 pages a
 * second to one person, more than any burst the policy makes (300 due within 6 s is 50 a second).
 */
export const MAX_BUNDLE = 45;

/** What the dispatcher sends as one unit: a row of its own, or rows for one conversation that may go as one. */
export interface Unit {
  rows: ClaimedNotification[];
  /** Pages and alerts to one conversation's top level: these may share one message when they must wait. */
  bundleable: boolean;
  conversation: string;
}

/**
 * Pages and alerts to a DM or a channel's top level have no place in a thread's order (no ordering key), so
 * several waiting for one conversation may share a message. Card redraws and thread notes never do.
 */
export function isBundleable(row: ClaimedNotification): boolean {
  const destination = row.target as Destination;
  const type = (row.payload as MessageBody).type;
  return row.orderingKey === null && !destination.thread && (type === "page" || type === "escalation");
}

/**
 * A claimed batch (already in priority order) as units: each bundleable conversation's rows together, at the
 * place of its first row; every other row on its own.
 */
export function unitsOf(rows: ClaimedNotification[]): Unit[] {
  const units: Unit[] = [];
  const open = new Map<string, Unit>();
  for (const row of rows) {
    const conversation = conversationKey(row.target as Destination);
    if (!isBundleable(row)) {
      units.push({ rows: [row], bundleable: false, conversation });
      continue;
    }
    const unit = open.get(conversation);
    if (unit) unit.rows.push(row);
    else {
      const created = { rows: [row], bundleable: true, conversation };
      open.set(conversation, created);
      units.push(created);
    }
  }
  return units;
}

/** Splits rows into messages of at most `MAX_BUNDLE` items, oldest first. */
export function chunks<T>(rows: T[], size = MAX_BUNDLE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** One message for several rows to one conversation: the rows' own bodies, in order. */
export function bundleMessage(rows: ClaimedNotification[]): OutgoingMessage {
  const first = rows[0]!;
  return {
    key: `bundle:${first.key}+${rows.length - 1}`,
    destination: first.target as Destination,
    body: { type: "bundle", items: rows.map((r) => r.payload as BundledBody) },
    attempt: Math.max(...rows.map((r) => r.attempts)),
  };
}
