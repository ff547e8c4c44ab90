import type { DateTime } from "luxon";
import type { TicketView } from "../chat/port.js";
import type { Prisma } from "../generated/prisma/client.js";
import { evaluate } from "../policy/index.js";
import { enqueueNotifications, type NewNotification, type Tx } from "../store/outbox.js";
import type { Actor, CommandOutcome, SystemActor, TicketServiceDeps } from "./deps.js";
import { systemActor } from "./deps.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import { policyHistory } from "./history.js";
import { describeEvent, isInternal } from "./narrate.js";
import { noRecipients, type TicketHome, threadNote } from "./notifications.js";
import { identityColumns, planTicket, sentActionKeys, type TicketIdentityRow } from "./plan.js";
import { insertOpening, rowFields, viaPrisma } from "./rows.js";
import { refusal, replay, type TicketState } from "./state.js";
import { statusLine } from "./statusLine.js";

/** A ticket after one appended event: its view, its log, and the changes the policy asks for next. */
export interface AppendStep {
  view: TicketView;
  log: LoggedEvent[];
  followUps: TicketEventPayload[];
  /** What the plan needs of the ticket's row: a later step need not read it again. */
  ticket: TicketIdentityRow;
  /** The next check this step stored on the ticket's row. */
  nextCheckAt: Date | null;
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
  /** The ticket's row as far as the plan needs it, when the caller has it in hand (else it is read). */
  ticket?: TicketIdentityRow | undefined;
  /**
   * A ticket being opened: its row's columns the event does not decide. The row is inserted with what the
   * event makes of it (state, next check) instead of being updated, and no outbox row of it can exist yet.
   */
  opening?: NewTicketColumns | undefined;
}

/** A new ticket's columns besides those every event recomputes (rowFields, the next check and due). */
export type NewTicketColumns = Omit<
  Prisma.TicketUncheckedCreateInput,
  keyof ReturnType<typeof rowFields> | "id" | "nextCheckAt" | "nextDueAt"
>;

/**
 * Appends an event and everything that follows from it. Also used by the scheduler for the policy's own
 * changes (raise severity, auto-resolve), which is why it takes the already-loaded log.
 */
export async function appendEvent(
  deps: TicketServiceDeps,
  tx: Tx,
  e: EventToAppend,
): Promise<CommandOutcome> {
  const last = await appendSteps(deps, tx, e);
  return { ticket: last.view, duplicate: false, nextCheckAt: last.nextCheckAt };
}

/** appendEvent, answering the last step (its log and row, for a caller that appends more). */
export async function appendSteps(deps: TicketServiceDeps, tx: Tx, e: EventToAppend): Promise<AppendStep> {
  const step = await appendOne(deps, tx, e);
  return applyFollowUps(deps, tx, e.ticketId, step, e.now);
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
    const { log, ticket } = current;
    current = await appendOne(deps, tx, {
      ticketId,
      events: log,
      actor: systemActor,
      payload: next,
      now,
      ticket,
    });
    pending.push(...current.followUps);
  }
  return current;
}

async function appendOne(deps: TicketServiceDeps, tx: Tx, e: EventToAppend): Promise<AppendStep> {
  const { step, writes } = await decideStep(deps, tx, e);
  await writeStep(tx, writes);
  return step;
}

/** What one appended event writes: the ticket's row (inserted when opening), the event, the outbox rows. */
export interface StepWrites {
  ticketId: string;
  /** The row's columns every event recomputes, and its next check and due instant. */
  row: ReturnType<typeof rowFields> & { nextCheckAt: Date | null; nextDueAt: Date | null };
  /** A ticket being opened: its other columns (the row is inserted, not updated). */
  opening?: NewTicketColumns | undefined;
  event: LoggedEvent & { clientKey: string | null };
  notifications: NewNotification[];
  now: Date;
}

/**
 * Everything one event means (its step and what it writes), reading through `tx` only what the caller did
 * not hand in: a ticket being opened, whose row is in hand and has no outbox rows yet, reads nothing.
 */
export async function decideStep(
  deps: TicketServiceDeps,
  tx: Tx,
  e: EventToAppend,
): Promise<{ step: AppendStep; writes: StepWrites }> {
  const { ticketId, events, actor, payload, now, clientKey } = e;
  const seq = events.length + 1;
  const event: LoggedEvent = { seq, at: now.toJSDate(), actorId: actor.id, source: actor.platform, payload };
  const log = [...events, event];
  const state = replay(log);
  const { ticket, view, home, notifications, followUps, nextCheckAt, row } = await consequences(
    deps,
    tx,
    e,
    log,
    state,
  );
  const audience = isInternal(event) ? "team" : "customer";
  const narrated = narrates(event, home)
    ? [threadNote(home, `e${seq}`, view, describeEvent(event, view), audience)]
    : [];
  const before = events.length > 0 ? replay(events).status : undefined;
  const line = statusLine(deps.policy, before, state.status, view.number);
  const forCustomer = line ? [threadNote(home, `status${seq}`, view, [`ℹ️ ${line}`], "customer")] : [];
  return {
    step: { view, log, followUps, ticket, nextCheckAt },
    writes: {
      ticketId,
      row,
      opening: e.opening,
      event: { ...event, clientKey: clientKey ?? null },
      // After the card: on a new ticket the card is the thread root the status line replies under.
      notifications: [...narrated, ...notifications, ...forCustomer],
      now: event.at,
    },
  };
}

/** Writes one step in the caller's transaction: an opening in one statement, a later event in three. */
export async function writeStep(tx: Tx, writes: StepWrites): Promise<void> {
  if (writes.opening) return insertOpening(viaPrisma(tx), writes, writes.opening);
  const { ticketId, row, event } = writes;
  await tx.ticket.update({ where: { id: ticketId }, data: row, select: { id: true } });
  await tx.ticketEvent.create({
    data: {
      ticketId,
      seq: event.seq,
      type: event.payload.type,
      actorId: event.actorId,
      source: event.source,
      at: event.at,
      payload: event.payload,
      clientKey: event.clientKey,
    },
    select: { id: true },
  });
  await enqueueNotifications(tx, writes.notifications, writes.now);
}

/**
 * Re-evaluates one ticket after a command: its row and next check, and what to send. The row is read only
 * when the caller does not have it in hand.
 */
async function consequences(
  deps: TicketServiceDeps,
  tx: Tx,
  e: EventToAppend,
  log: LoggedEvent[],
  state: TicketState,
) {
  const { ticketId, now, opening } = e;
  const ticket =
    e.ticket ?? (await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: identityColumns }));
  const evaluation = evaluate(deps.policy, policyHistory(log, deps.policy.zone), now);
  // A ticket being opened has no outbox rows yet: nothing of it can have been acted on.
  const keys = opening ? [] : evaluation.actionsDue.map((a) => `${ticketId}:${a.key}`);
  const sent = await sentActionKeys(tx, keys);
  const recipients = deps.recipients ?? noRecipients;
  const plan = planTicket(deps.policy, recipients, ticket, log, evaluation, sent, now);
  const row = { ...rowFields(state), nextCheckAt: plan.nextCheckAt, nextDueAt: plan.nextDueAt };
  return { ticket, row, ...plan };
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
