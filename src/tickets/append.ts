import type { DateTime } from "luxon";
import type { TicketView } from "../chat/port.js";
import { evaluate } from "../policy/index.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import type { Actor, CommandResult, SystemActor, TicketServiceDeps } from "./deps.js";
import { systemActor } from "./deps.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import { policyHistory } from "./history.js";
import { describeEvent, isInternal } from "./narrate.js";
import { noRecipients, type TicketHome, threadNote } from "./notifications.js";
import { planTicket, sentActionKeys } from "./plan.js";
import { rowFields } from "./rows.js";
import { refusal, replay, type TicketState } from "./state.js";
import { statusLine } from "./statusLine.js";

/** A ticket after one appended event: its view, its log, and the changes the policy asks for next. */
export interface AppendStep {
  view: TicketView;
  log: LoggedEvent[];
  followUps: TicketEventPayload[];
}

/** One event for a ticket whose log (`events`) is already loaded, by `actor` at `now`. */
export interface EventToAppend {
  ticketId: string;
  events: LoggedEvent[];
  actor: Actor | SystemActor;
  payload: TicketEventPayload;
  now: DateTime;
  /** The command's idempotency key (a double click or a retry does nothing twice). */
  clientKey?: string | undefined;
}

/**
 * Appends an event and everything that follows from it. Also used by the scheduler for the policy's own
 * changes (raise severity, auto-resolve), which is why it takes the already-loaded log.
 */
export async function appendEvent(deps: TicketServiceDeps, tx: Tx, e: EventToAppend): Promise<CommandResult> {
  const step = await appendOne(deps, tx, e);
  const last = await applyFollowUps(deps, tx, e.ticketId, step, e.now);
  return { ticket: last.view, duplicate: false };
}

/** The policy's own changes (raise severity, auto-resolve) are events too, by the scheduler. */
export async function applyFollowUps(
  deps: TicketServiceDeps,
  tx: Tx,
  ticketId: string,
  step: AppendStep,
  now: DateTime,
): Promise<AppendStep> {
  const pending = [...step.followUps];
  let current = step;
  while (pending.length > 0) {
    const next = pending.shift()!;
    if (refusal(replay(current.log), next)) continue;
    const followUp = { ticketId, events: current.log, actor: systemActor, payload: next, now };
    current = await appendOne(deps, tx, followUp);
    pending.push(...current.followUps);
  }
  return current;
}

async function appendOne(deps: TicketServiceDeps, tx: Tx, e: EventToAppend): Promise<AppendStep> {
  const { ticketId, events, actor, payload, now, clientKey } = e;
  const seq = events.length + 1;
  const event: LoggedEvent = { seq, at: now.toJSDate(), actorId: actor.id, source: actor.platform, payload };
  await tx.ticketEvent.create({
    data: {
      ticketId,
      seq,
      type: payload.type,
      actorId: actor.id,
      source: actor.platform,
      at: event.at,
      payload,
      clientKey: clientKey ?? null,
    },
  });
  const log = [...events, event];
  const state = replay(log);
  const { view, home, notifications, followUps } = await consequences(deps, tx, ticketId, log, state, now);
  const audience = isInternal(event) ? "team" : "customer";
  const narrated = narrates(event, home)
    ? [threadNote(home, `e${seq}`, view, describeEvent(event, view), audience)]
    : [];
  const before = events.length > 0 ? replay(events).status : undefined;
  const line = statusLine(deps.policy, before, state.status, view.number);
  const forCustomer = line ? [threadNote(home, `status${seq}`, view, [`ℹ️ ${line}`], "customer")] : [];
  // After the card: on a new ticket the card is the thread root the status line replies under.
  await enqueueNotifications(tx, [...narrated, ...notifications, ...forCustomer], now.toJSDate());
  return { view, log, followUps };
}

/** Re-evaluates one ticket after a command: stores its row and next check, returns what to send. */
export async function consequences(
  deps: TicketServiceDeps,
  tx: Tx,
  ticketId: string,
  log: LoggedEvent[],
  state: TicketState,
  now: DateTime,
) {
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  const evaluation = evaluate(deps.policy, policyHistory(log, deps.policy.zone), now);
  const sent = await sentActionKeys(
    tx,
    evaluation.actionsDue.map((a) => `${ticketId}:${a.key}`),
  );
  const recipients = deps.recipients ?? noRecipients;
  const plan = planTicket(deps.policy, recipients, ticket, log, evaluation, sent, now);
  await tx.ticket.update({
    where: { id: ticketId },
    data: { ...rowFields(state), nextCheckAt: plan.nextCheckAt, nextDueAt: plan.nextDueAt },
  });
  return plan;
}

/**
 * Every event is told in the ticket's thread (internal notes: to the team only), except its creation (the
 * card says it) and a comment written on the chat platform itself, in the ticket's thread or its triage
 * thread (it is there already; repeating it would echo it under itself).
 */
function narrates(event: LoggedEvent, home: TicketHome): boolean {
  if (event.payload.type === "created") return false;
  const typedInThread =
    event.payload.type === "comment" && event.source === home.platform && home.platform !== "terminal";
  return !typedInThread;
}
