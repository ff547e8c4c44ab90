import type { DateTime } from "luxon";
import { coerceError } from "../logger.js";
import { evaluate } from "../policy/index.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import { applyFollowUps } from "./append.js";
import type { TicketServiceDeps } from "./deps.js";
import { policyHistory } from "./history.js";
import { loadLogs } from "./log.js";
import { noRecipients } from "./notifications.js";
import { planTicket, sentActionKeys, setNextChecks } from "./plan.js";

/**
 * The scheduler's entry: re-evaluates locked tickets at `now` with a fixed number of queries per batch
 * (not per ticket), writing what became due and each ticket's next check.
 */
export async function reevaluateTickets(
  deps: TicketServiceDeps,
  tx: Tx,
  ticketIds: string[],
  now: DateTime,
): Promise<void> {
  if (ticketIds.length === 0) return;
  const [rows, { logs, unreadable }] = await Promise.all([
    tx.ticket.findMany({ where: { id: { in: ticketIds } } }),
    loadLogs(tx, ticketIds),
  ]);
  const policy = deps.policy;
  const broken = new Map(unreadable);
  const evaluated = rows.flatMap((ticket) => {
    const log = logs.get(ticket.id);
    if (!log) return [];
    try {
      return [{ ticket, log, evaluation: evaluate(policy, policyHistory(log, policy.zone), now) }];
    } catch (error) {
      broken.set(ticket.id, coerceError(error));
      return [];
    }
  });
  const sent = await sentActionKeys(
    tx,
    evaluated.flatMap(({ ticket, evaluation }) => evaluation.actionsDue.map((a) => `${ticket.id}:${a.key}`)),
  );
  const recipients = deps.recipients ?? noRecipients;
  const plans = evaluated.map(({ ticket, log, evaluation }) => ({
    ticket,
    log,
    plan: planTicket(policy, recipients, ticket, log, evaluation, sent, now),
  }));
  await enqueueNotifications(
    tx,
    plans.flatMap((p) => p.plan.notifications),
    now.toJSDate(),
  );
  // A ticket that cannot be evaluated is looked at again in 15 minutes and reported; the others go on.
  const retryBroken = [...broken.keys()].map((id) => ({ id, next: now.plus({ minutes: 15 }).toJSDate() }));
  await setNextChecks(tx, [
    ...plans.map((p) => ({ id: p.ticket.id, next: p.plan.nextCheckAt, due: p.plan.nextDueAt })),
    ...retryBroken,
  ]);
  for (const [id, error] of broken) deps.onTicketError?.(id, error);
  for (const { ticket, log, plan } of plans) {
    if (plan.followUps.length) {
      const step = { view: plan.view, log, followUps: plan.followUps, ticket, nextCheckAt: plan.nextCheckAt };
      await applyFollowUps(deps, tx, ticket.id, step, now);
    }
  }
}
