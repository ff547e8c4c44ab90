import type { DateTime } from "luxon";
import type { Destination, Platform, TicketView } from "../chat/port.js";
import { Prisma } from "../generated/prisma/client.js";
import { evaluate } from "../policy/index.js";
import type { Evaluation, Policy } from "../policy/types.js";
import type { Store } from "../store/db.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import { invalid, notFound } from "./errors.js";
import { type LoggedEvent, parseLoggedEvent, type TicketEventPayload } from "./events.js";
import { policyHistory } from "./history.js";
import { describeEvent } from "./narrate.js";
import {
  actionOutcome,
  cardNotification,
  noRecipients,
  type Recipients,
  type TicketHome,
  threadNote,
} from "./notifications.js";
import { pagingPlan } from "./paging.js";
import { completePayload, permission, reopensOnReply } from "./rules.js";
import { refusal, replay, type TicketState } from "./state.js";
import { type NewTicketInput, validateNewTicket } from "./validate.js";
import { ticketView } from "./view.js";

type TicketRow = Awaited<ReturnType<Store["prisma"]["ticket"]["findUniqueOrThrow"]>>;

export interface Actor {
  id: string;
  platform: Platform;
  workspaceId: string;
  /** A member of the support side (configured per platform); others are customers. */
  isAgent: boolean;
}

export interface TicketServiceDeps {
  store: Store;
  policy: Policy;
  /** The clock lives at the edge: tests and the terminal's simulated time pass their own. */
  now: () => DateTime;
  recipients?: Recipients;
  /** Called after a commit that wrote notifications, so they go out at once instead of at the next poll. */
  onNotificationsWritten?: () => void;
}

export interface CommandResult {
  ticket: TicketView;
  /** True when the client key was seen before: nothing was done again. */
  duplicate: boolean;
}

/** The policy acting on its own (raise severity, auto-resolve). */
export interface SystemActor {
  id: "escalator";
  platform: "scheduler";
}
const systemActor: SystemActor = { id: "escalator", platform: "scheduler" };

export type TicketRef = { ticketId: string } | { workspaceId: string; number: number };

/**
 * The only writer of tickets. Each command appends one event, recomputes the policy's view of the ticket,
 * stores the next instant the scheduler must look, and writes the resulting messages to the outbox —
 * all in one transaction.
 */
export class TicketService {
  constructor(private readonly deps: TicketServiceDeps) {}

  get policy(): Policy {
    return this.deps.policy;
  }

  async create(actor: Actor, input: NewTicketInput, clientKey?: string): Promise<CommandResult> {
    const facts = validateNewTicket(this.deps.policy, input);
    const home: Destination = input.home;
    const result = await this.transaction(async (tx) => {
      const repeat = clientKey ? await this.replayed(tx, clientKey) : undefined;
      if (repeat) return repeat;
      const now = this.deps.now();
      const number = await nextTicketNumber(tx, actor.workspaceId);
      const ticket = await tx.ticket.create({
        data: {
          workspaceId: actor.workspaceId,
          number,
          policyId: this.deps.policy.id,
          summary: facts.summary,
          description: facts.description,
          severity: facts.severity,
          channel: facts.channel,
          plan: facts.plan,
          category: facts.category,
          customerId: input.customerId ?? null,
          requesterId: actor.id,
          homePlatform: home.platform,
          homeChannelId: home.channelId ?? "",
          openedAt: now.toJSDate(),
        },
      });
      if (input.origin) {
        await tx.chatLink.create({
          data: {
            ticketId: ticket.id,
            platform: home.platform,
            kind: "origin",
            workspaceId: actor.workspaceId,
            ...input.origin,
          },
        });
      }
      const payload: TicketEventPayload = { type: "created", ...facts };
      return this.append(tx, ticket.id, [], actor, payload, now, clientKey);
    });
    this.afterCommit();
    return result;
  }

  /** Appends one event to an existing ticket (comment, assign, severity, wait, resume, resolve, close, reopen). */
  async record(
    ref: TicketRef,
    actor: Actor,
    payload: TicketEventPayload,
    clientKey?: string,
  ): Promise<CommandResult> {
    const result = await this.transaction(async (tx) => {
      const repeat = clientKey ? await this.replayed(tx, clientKey) : undefined;
      if (repeat) return repeat;
      const ticketId = await lockTicket(tx, ref);
      let events = await loadEvents(tx, ticketId);
      let state = replay(events);
      if (reopensOnReply(state, payload)) {
        // A customer writing back about a resolved ticket reopens it (a new cycle of targets).
        await this.append(
          tx,
          ticketId,
          events,
          actor,
          { type: "reopened", why: "the customer replied" },
          this.deps.now(),
        );
        events = await loadEvents(tx, ticketId);
        state = replay(events);
      }
      const number = await numberOf(tx, ticketId);
      const complete = completePayload(this.deps.policy, state, payload);
      const reason = permission(actor, complete) ?? refusal(state, complete);
      if (reason) throw invalid(`#${number}: ${reason}.`);
      return this.append(tx, ticketId, events, actor, complete, this.deps.now(), clientKey);
    });
    this.afterCommit();
    return result;
  }

  async view(ref: TicketRef): Promise<TicketView> {
    const tx = this.deps.store.prisma;
    const ticket = await findTicket(tx, ref);
    const events = await loadEvents(tx, ticket.id);
    const state = replay(events);
    const evaluation = evaluate(
      this.deps.policy,
      policyHistory(events, this.deps.policy.zone),
      this.deps.now(),
    );
    return { ...ticketView(this.deps.policy, ticket, state, evaluation) };
  }

  /** Open tickets of a workspace (optionally one person's, as requester or assignee), soonest due first. */
  async list(filter: {
    workspaceId: string;
    personId?: string;
    includeClosed?: boolean;
    limit?: number;
  }): Promise<TicketView[]> {
    const rows = await this.deps.store.prisma.ticket.findMany({
      where: {
        workspaceId: filter.workspaceId,
        ...(filter.includeClosed ? {} : { status: { in: ["open", "responded", "waiting"] } }),
        ...(filter.personId
          ? { OR: [{ requesterId: filter.personId }, { assigneeId: filter.personId }] }
          : {}),
      },
      orderBy: { number: "desc" },
      take: filter.limit ?? 50,
    });
    const views = await Promise.all(rows.map((row) => this.view({ ticketId: row.id })));
    return views.sort((a, b) => soonestDue(a) - soonestDue(b));
  }

  /** The ticket whose thread a chat message belongs to, if any (replies in the thread become comments). */
  async findByThread(platform: Platform, channelId: string, threadId: string): Promise<string | undefined> {
    const link = await this.deps.store.prisma.chatLink.findFirst({
      where: {
        platform,
        channelId,
        OR: [{ threadId }, { messageId: threadId }],
        kind: { in: ["root", "origin"] },
      },
      select: { ticketId: true },
    });
    return link?.ticketId;
  }

  /**
   * Appends an event and everything that follows from it. Also used by the scheduler for the policy's own
   * changes (raise severity, auto-resolve), which is why it takes the already-loaded log.
   */
  async append(
    tx: Tx,
    ticketId: string,
    events: LoggedEvent[],
    actor: Actor | SystemActor,
    payload: TicketEventPayload,
    now: DateTime,
    clientKey?: string,
  ): Promise<CommandResult> {
    let step = await this.appendOne(tx, ticketId, events, actor, payload, now, clientKey);
    // The policy's own changes (raise severity, auto-resolve) are events too, by the scheduler.
    const pending = [...step.followUps];
    while (pending.length > 0) {
      const next = pending.shift()!;
      const state = replay(step.log);
      if (refusal(state, next)) continue;
      step = await this.appendOne(tx, ticketId, step.log, systemActor, next, now);
      pending.push(...step.followUps);
    }
    return { ticket: step.view, duplicate: false };
  }

  private async appendOne(
    tx: Tx,
    ticketId: string,
    events: LoggedEvent[],
    actor: Actor | SystemActor,
    payload: TicketEventPayload,
    now: DateTime,
    clientKey?: string,
  ) {
    const seq = events.length + 1;
    const event: LoggedEvent = {
      seq,
      at: now.toJSDate(),
      actorId: actor.id,
      source: actor.platform,
      payload,
    };
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
    const { view, home, notifications, followUps } = await this.consequences(tx, ticketId, log, state, now);
    const narrated = narrates(event, home)
      ? [threadNote(home, `e${seq}`, view, describeEvent(event, view))]
      : [];
    await enqueueNotifications(tx, [...narrated, ...notifications], now.toJSDate());
    return { view, log, followUps };
  }

  /**
   * The scheduler's entry: re-evaluates locked tickets at `now` with a fixed number of queries per batch
   * (not per ticket), writing what became due and each ticket's next check.
   */
  async reevaluate(tx: Tx, ticketIds: string[], now: DateTime): Promise<void> {
    if (ticketIds.length === 0) return;
    const [rows, eventRows] = await Promise.all([
      tx.ticket.findMany({ where: { id: { in: ticketIds } } }),
      tx.ticketEvent.findMany({
        where: { ticketId: { in: ticketIds } },
        orderBy: [{ ticketId: "asc" }, { seq: "asc" }],
      }),
    ]);
    const logs = new Map<string, LoggedEvent[]>();
    for (const row of eventRows) {
      const log = logs.get(row.ticketId) ?? [];
      log.push(parseLoggedEvent(row));
      logs.set(row.ticketId, log);
    }
    const policy = this.deps.policy;
    const evaluated = rows.map((ticket) => {
      const log = logs.get(ticket.id) ?? [];
      return { ticket, log, evaluation: evaluate(policy, policyHistory(log, policy.zone), now) };
    });
    const sent = await sentActionKeys(
      tx,
      evaluated.flatMap(({ ticket, evaluation }) =>
        evaluation.actionsDue.map((a) => `${ticket.id}:${a.key}`),
      ),
    );
    const plans = evaluated.map(({ ticket, log, evaluation }) => ({
      ticket,
      log,
      plan: this.plan(ticket, log, evaluation, sent, now),
    }));
    await enqueueNotifications(
      tx,
      plans.flatMap((p) => p.plan.notifications),
      now.toJSDate(),
    );
    await setNextChecks(
      tx,
      plans.map((p) => ({ id: p.ticket.id, next: p.plan.nextCheckAt })),
    );
    for (const { ticket, log, plan } of plans) {
      for (const followUp of plan.followUps) {
        if (refusal(replay(log), followUp)) continue;
        await this.append(tx, ticket.id, await loadEvents(tx, ticket.id), systemActor, followUp, now);
      }
    }
  }

  /** Re-evaluates one ticket after a command: stores its row and next check, returns what to send. */
  async consequences(tx: Tx, ticketId: string, log: LoggedEvent[], state: TicketState, now: DateTime) {
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    const evaluation = evaluate(this.deps.policy, policyHistory(log, this.deps.policy.zone), now);
    const sent = await sentActionKeys(
      tx,
      evaluation.actionsDue.map((a) => `${ticketId}:${a.key}`),
    );
    const plan = this.plan(ticket, log, evaluation, sent, now);
    await tx.ticket.update({
      where: { id: ticketId },
      data: { ...rowFields(state), nextCheckAt: plan.nextCheckAt },
    });
    return plan;
  }

  /** Pure: what a ticket's evaluation means for the outbox, given the action keys already written. */
  private plan(
    ticket: TicketRow,
    log: LoggedEvent[],
    evaluation: Evaluation,
    sent: Set<string>,
    now: DateTime,
  ) {
    const state = replay(log);
    const recipients = this.deps.recipients ?? noRecipients;
    const view = ticketView(this.deps.policy, ticket, state, evaluation);
    const home: TicketHome = {
      id: ticket.id,
      platform: ticket.homePlatform as Platform,
      workspaceId: ticket.workspaceId,
      channelId: ticket.homeChannelId,
    };
    const actions = evaluation.actionsDue.filter((a) => !sent.has(`${ticket.id}:${a.key}`));
    const outcome = actionOutcome(home, view, actions, now, recipients);
    const paging = pagingPlan(home, view, evaluation, log, now, recipients);
    return {
      view,
      home,
      notifications: [
        cardNotification(home, view, state.version),
        ...outcome.notifications,
        ...paging.notifications,
      ],
      followUps: outcome.followUps,
      nextCheckAt: nextCheck(earliest(evaluation.nextCheckAt, paging.nextChangeAt), now),
    };
  }

  private async replayed(tx: Tx, clientKey: string): Promise<CommandResult | undefined> {
    const seen = await tx.ticketEvent.findUnique({ where: { clientKey }, select: { ticketId: true } });
    if (!seen) return undefined;
    return { ticket: await this.viewIn(tx, seen.ticketId), duplicate: true };
  }

  private async viewIn(tx: Tx, ticketId: string): Promise<TicketView> {
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    const events = await loadEvents(tx, ticketId);
    const evaluation = evaluate(
      this.deps.policy,
      policyHistory(events, this.deps.policy.zone),
      this.deps.now(),
    );
    return ticketView(this.deps.policy, ticket, replay(events), evaluation);
  }

  private async transaction<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    try {
      return await this.deps.store.prisma.$transaction(work, { timeout: 20_000, maxWait: 20_000 });
    } catch (error) {
      // Two deliveries of one click raced past the check: the unique client key let one through.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        const target = String((error.meta as { target?: unknown } | undefined)?.target ?? "");
        if (target.includes("clientKey")) return work(this.deps.store.prisma);
      }
      throw error;
    }
  }

  private afterCommit(): void {
    this.deps.onNotificationsWritten?.();
  }
}

function rowFields(state: TicketState) {
  return {
    summary: state.summary,
    description: state.description,
    severity: state.severity,
    channel: state.channel,
    plan: state.plan,
    category: state.category,
    status: state.status,
    assigneeId: state.assigneeId,
    cycle: state.cycle,
    resolution: state.resolution,
    openedAt: state.openedAt,
    respondedAt: state.respondedAt,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    version: state.version,
  };
}

async function nextTicketNumber(tx: Tx, workspaceId: string): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ lastNumber: number }[]>(
    `INSERT INTO "TicketCounter" ("workspaceId", "lastNumber") VALUES ($1, 1)
     ON CONFLICT ("workspaceId") DO UPDATE SET "lastNumber" = "TicketCounter"."lastNumber" + 1
     RETURNING "lastNumber"`,
    workspaceId,
  );
  return rows[0]!.lastNumber;
}

async function findTicket(tx: Tx, ref: TicketRef) {
  const ticket =
    "ticketId" in ref
      ? await tx.ticket.findUnique({ where: { id: ref.ticketId } })
      : await tx.ticket.findUnique({
          where: { workspaceId_number: { workspaceId: ref.workspaceId, number: ref.number } },
        });
  if (!ticket)
    throw notFound("ticketId" in ref ? "That ticket does not exist." : `There is no ticket #${ref.number}.`);
  return ticket;
}

/** Serialises commands on one ticket (and against the scheduler) with a row lock. */
async function lockTicket(tx: Tx, ref: TicketRef): Promise<string> {
  const rows =
    "ticketId" in ref
      ? await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text FROM "Ticket" WHERE id = $1::uuid FOR UPDATE`,
          ref.ticketId,
        )
      : await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text FROM "Ticket" WHERE "workspaceId" = $1 AND number = $2 FOR UPDATE`,
          ref.workspaceId,
          ref.number,
        );
  const id = rows[0]?.id;
  if (!id)
    throw notFound("ticketId" in ref ? "That ticket does not exist." : `There is no ticket #${ref.number}.`);
  return id;
}

async function numberOf(tx: Tx, ticketId: string): Promise<number> {
  return (await tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { number: true } })).number;
}

export async function loadEvents(tx: Tx, ticketId: string): Promise<LoggedEvent[]> {
  const rows = await tx.ticketEvent.findMany({ where: { ticketId }, orderBy: { seq: "asc" } });
  return rows.map(parseLoggedEvent);
}

/** Which of these outbox keys exist already: an action whose key is there has been acted on. */
async function sentActionKeys(tx: Tx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const existing = await tx.notification.findMany({ where: { key: { in: keys } }, select: { key: true } });
  return new Set(existing.map((n) => n.key));
}

/** One statement for a whole batch: the tick's cost must not grow by a round trip per ticket. */
async function setNextChecks(tx: Tx, rows: { id: string; next: Date | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Ticket" AS t SET "nextCheckAt" = v.next
       FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, next) WHERE t.id = v.id`,
    rows.map((r) => r.id),
    rows.map((r) => r.next),
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

function soonestDue(view: TicketView): number {
  const pending = view.targets.filter((t) => t.due && t.state !== "met").map((t) => Date.parse(t.due!));
  return pending.length ? Math.min(...pending) : Number.POSITIVE_INFINITY;
}

/**
 * Every event is told in the ticket's thread, except its creation (the card says it) and a comment written in
 * that very thread on a chat platform (it is there already; repeating it would echo it under itself).
 */
function narrates(event: LoggedEvent, home: TicketHome): boolean {
  if (event.payload.type === "created") return false;
  const typedInThread =
    event.payload.type === "comment" && event.source === home.platform && home.platform !== "terminal";
  return !typedInThread;
}
