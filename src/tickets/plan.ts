import type { DateTime } from "luxon";
import type { Platform } from "../chat/port.js";
import type { Evaluation, Policy } from "../policy/types.js";
import type { Store } from "../store/db.js";
import type { Tx } from "../store/outbox.js";
import type { LoggedEvent } from "./events.js";
import { actionOutcome, cardNotifications, type Recipients, type TicketHome } from "./notifications.js";
import { pagingPlan } from "./paging.js";
import { replay } from "./state.js";
import { nextDueAt, ticketView } from "./view.js";

export type TicketRow = Awaited<ReturnType<Store["prisma"]["ticket"]["findUniqueOrThrow"]>>;

/** What planning needs of a ticket's row: what it is and where it lives, all fixed when it was opened. */
export type TicketIdentityRow = Pick<
  TicketRow,
  "id" | "workspaceId" | "number" | "requesterId" | "homePlatform" | "homeChannelId" | "triageChannel"
>;

/** The columns of a TicketIdentityRow, for a `select`. */
export const identityColumns = {
  id: true,
  workspaceId: true,
  number: true,
  requesterId: true,
  homePlatform: true,
  homeChannelId: true,
  triageChannel: true,
} as const;

/**
 * Pure: what a ticket's evaluation means for the outbox — its card, the due actions not yet acted on
 * (`sent` holds the outbox keys already written), the pages of its ladders — and its next check.
 */
export function planTicket(
  policy: Policy,
  recipients: Recipients,
  ticket: TicketIdentityRow,
  log: LoggedEvent[],
  evaluation: Evaluation,
  sent: Set<string>,
  now: DateTime,
) {
  const state = replay(log);
  const view = ticketView(policy, ticket, state, evaluation);
  const home: TicketHome = {
    id: ticket.id,
    platform: ticket.homePlatform as Platform,
    workspaceId: ticket.workspaceId,
    channelId: ticket.homeChannelId,
    triageChannel: ticket.triageChannel,
  };
  const actions = evaluation.actionsDue.filter((a) => !sent.has(`${ticket.id}:${a.key}`));
  const outcome = actionOutcome(home, view, actions, now, recipients);
  const paging = pagingPlan(home, view, evaluation, log, now, recipients);
  return {
    view,
    home,
    notifications: [
      ...cardNotifications(home, view, state.version),
      ...outcome.notifications,
      ...paging.notifications,
    ],
    followUps: outcome.followUps,
    nextCheckAt: nextCheck(earliest(evaluation.nextCheckAt, paging.nextChangeAt), now),
    nextDueAt: nextDueAt(view),
  };
}

/** Which of these outbox keys exist already: an action whose key is there has been acted on. */
export async function sentActionKeys(tx: Tx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const existing = await tx.notification.findMany({ where: { key: { in: keys } }, select: { key: true } });
  return new Set(existing.map((n) => n.key));
}

/**
 * One statement for a whole batch: the tick's cost must not grow by a round trip per ticket. `due` is the
 * ticket's new `nextDueAt`; undefined keeps the stored one (a ticket that could not be evaluated).
 */
export async function setNextChecks(
  tx: Tx,
  rows: { id: string; next: Date | null; due?: Date | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Ticket" AS t
        SET "nextCheckAt" = v.next, "nextDueAt" = CASE WHEN v.keep THEN t."nextDueAt" ELSE v.due END
       FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::boolean[]) AS v(id, next, due, keep)
      WHERE t.id = v.id`,
    rows.map((r) => r.id),
    rows.map((r) => r.next),
    rows.map((r) => r.due ?? null),
    rows.map((r) => r.due === undefined),
  );
}

function earliest(a: DateTime | null, b: DateTime | null): DateTime | null {
  if (!a || !b) return a ?? b;
  return a.toMillis() <= b.toMillis() ? a : b;
}

/** The engine promises a later instant; a guard so that a bug there can never make the scheduler spin. */
function nextCheck(next: DateTime | null, now: DateTime): Date | null {
  if (!next) return null;
  return next.toMillis() > now.toMillis() ? next.toJSDate() : new Date(now.toMillis() + 60_000);
}
