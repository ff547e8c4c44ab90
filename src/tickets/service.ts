import type { DateTime } from "luxon";
import pLimit, { type LimitFunction } from "p-limit";
import type { Destination, Platform, TicketView } from "../chat/port.js";
import { Prisma } from "../generated/prisma/client.js";
import { coerceError } from "../logger.js";
import { evaluate } from "../policy/index.js";
import type { Policy } from "../policy/types.js";
import { digestText, lastWeekStart, weeklyDigest } from "../reports/digest.js";
import type { Store } from "../store/db.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import { forbidden, invalid } from "./errors.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import { policyHistory } from "./history.js";
import { loadEvents, loadLogs } from "./log.js";
import { describeEvent, isInternal } from "./narrate.js";
import { noRecipients, type Recipients, type TicketHome, threadNote } from "./notifications.js";
import { pagingRefusal } from "./paging.js";
import { planTicket, sentActionKeys, setNextChecks, type TicketRow } from "./plan.js";
import { roundRobinPool, setAway, takeTurn } from "./roundRobin.js";
import {
  findTicket,
  findTickets,
  lockTicket,
  nextTicketNumber,
  rowFields,
  type TicketFilter,
  type TicketRef,
  ticketByThread,
  ticketIdByThread,
  wasPaged,
} from "./rows.js";
import {
  commandOf,
  completePayload,
  pageMoves,
  permission,
  queryPermission,
  type Relation,
  relationOf,
  reopensOnReply,
  type TicketCommand,
} from "./rules.js";
import { parseTicketQuery, prefixQuery, searchTicketIds } from "./search.js";
import { refusal, replay, type TicketState } from "./state.js";
import { statusLine } from "./statusLine.js";
import { type NewTicketInput, validateNewTicket } from "./validate.js";
import { ticketView } from "./view.js";

export interface Actor {
  id: string;
  platform: Platform;
  workspaceId: string;
  /** A member of the support side (configured per platform); others are customers. */
  isAgent: boolean;
  /** May act on every workspace's tickets (the operator). */
  isAdmin?: boolean;
  /** The customers the customers file names this person for (by their id or their own workspace). */
  customerIds?: readonly string[];
}

export interface TicketServiceDeps {
  store: Store;
  policy: Policy;
  /** The clock lives at the edge: tests and the terminal's simulated time pass their own. */
  now: () => DateTime;
  recipients?: Recipients;
  /** A ticket the scheduler could not evaluate (it is retried in 15 minutes). */
  onTicketError?: (ticketId: string, error: Error) => void;
  /** Called after a commit that wrote notifications, so they go out at once instead of at the next poll. */
  onNotificationsWritten?: () => void;
  /** Command transactions at once (default 8; the rest queue in order). */
  concurrentCommands?: number;
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

export type { TicketRef } from "./rows.js";

/** A ticket after one appended event: its view, its log, and the changes the policy asks for next. */
interface AppendStep {
  view: TicketView;
  log: LoggedEvent[];
  followUps: TicketEventPayload[];
}

/**
 * The only writer of tickets. Each command appends one event, recomputes the policy's view of the ticket,
 * stores the next instant the scheduler must look, and writes the resulting messages to the outbox —
 * all in one transaction.
 */
export class TicketService {
  /**
   * Commands wait their turn here rather than for a pooled connection: a burst past what the database can
   * take queues in order instead of failing when Prisma's wait for a connection runs out.
   */
  private readonly gate: LimitFunction;

  constructor(private readonly deps: TicketServiceDeps) {
    this.gate = pLimit(deps.concurrentCommands ?? 8);
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  async create(actor: Actor, input: NewTicketInput, clientKey?: string): Promise<CommandResult> {
    const facts = validateNewTicket(this.deps.policy, input);
    const home: Destination = input.home;
    // The number is taken in a statement of its own, not under the command's transaction: the counter's
    // row lock held for a whole command would queue every /ticket of a workspace behind it. A command that
    // fails afterwards leaves a gap in the numbers, as a sequence would. A repeated click takes none.
    const prisma = this.deps.store.prisma;
    const seen = clientKey ? await this.replayed(prisma, clientKey) : undefined;
    if (seen) return seen;
    const number = await nextTicketNumber(prisma, actor.workspaceId);
    const result = await this.transaction(async (tx) => {
      const repeat = clientKey ? await this.replayed(tx, clientKey) : undefined;
      if (repeat) return repeat;
      const now = this.deps.now();
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
          triageChannel: input.triageChannel ?? null,
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
      const created = await this.append(tx, ticket.id, [], actor, payload, now, clientKey);
      return (
        (await this.assignInTurn(tx, ticket.id, actor.workspaceId, home.channelId ?? "", now)) ?? created
      );
    }, clientKey);
    this.afterCommit();
    return result;
  }

  /** Round-robin: a new ticket goes to the agent whose turn it is, if the policy asks for it there. */
  private async assignInTurn(
    tx: Tx,
    ticketId: string,
    workspaceId: string,
    channelId: string,
    now: DateTime,
  ): Promise<CommandResult | undefined> {
    const pool = roundRobinPool(this.deps.policy, channelId);
    if (!pool) return undefined;
    const agent = await takeTurn(tx, workspaceId, pool);
    if (!agent) return undefined; // everyone is out: the ticket waits unassigned, as without round-robin
    const events = await loadEvents(tx, ticketId);
    return this.append(tx, ticketId, events, systemActor, { type: "assigned", assigneeId: agent }, now);
  }

  /** An agent marks themselves out (round-robin skips them) or back. */
  async setAway(actor: Actor, away: boolean): Promise<void> {
    if (!actor.isAgent) throw forbidden("Only support agents take turns in round-robin assignment.");
    await setAway(this.deps.store.prisma, actor.workspaceId, actor.id, away, this.deps.now().toJSDate());
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
      const { number, relation } = await this.relation(tx, ticketId, actor);
      const complete = completePayload(this.deps.policy, state, payload, relation);
      const command = commandOf(complete);
      const denied = command ? permission(relation, command) : "the ticket exists already";
      if (denied) throw forbidden(`#${number}: ${denied}.`);
      if (reopensOnReply(state, complete)) {
        // The requester or their colleagues writing back about a resolved ticket reopen it (a new cycle).
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
      const reason = refusal(state, complete) ?? this.pagingRefusal(complete, events);
      if (reason) throw invalid(`#${number}: ${reason}.`);
      return this.append(tx, ticketId, events, actor, complete, this.deps.now(), clientKey);
    }, clientKey);
    this.afterCommit();
    return result;
  }

  /** Refuses (forbidden) unless the rule table lets `actor` give `command` on the ticket. */
  async authorize(ref: TicketRef, actor: Actor, command: TicketCommand): Promise<void> {
    const prisma = this.deps.store.prisma;
    const ticket = await findTicket(prisma, ref);
    const { relation } = await this.relation(prisma, ticket.id, actor);
    const denied = permission(relation, command);
    if (denied) throw forbidden(`#${ticket.number}: ${denied}.`);
  }

  /** A ticket as `actor` may see it: refused unless the rule table lets them look. */
  async viewAs(ref: TicketRef, actor: Actor): Promise<TicketView> {
    await this.authorize(ref, actor, "view");
    return this.view(ref);
  }

  /**
   * What an "Acknowledge" click means for `actor`: it always stops paging, and on a ticket someone else
   * holds it also takes the ticket over when the rules let this person assign. Every adapter records this.
   */
  async acknowledgement(ref: TicketRef, actor: Actor): Promise<TicketEventPayload> {
    const ticket = await this.viewAs(ref, actor);
    const takeOver =
      ticket.assigneeId !== null &&
      ticket.assigneeId !== actor.id &&
      (await this.authorize(ref, actor, "assigned").then(
        () => true,
        () => false,
      ));
    return takeOver ? { type: "assigned", assigneeId: actor.id } : { type: "acknowledged" };
  }

  /** Who `actor` is to the ticket (requester, agent of its workspace, another customer …). */
  private async relation(
    tx: Tx,
    ticketId: string,
    actor: Actor,
  ): Promise<{ number: number; relation: Relation }> {
    const ticket = await tx.ticket.findUniqueOrThrow({
      where: { id: ticketId },
      select: { number: true, workspaceId: true, requesterId: true, customerId: true },
    });
    let relation = relationOf(actor, ticket, false);
    if (relation === "otherCustomer" && (await wasPaged(tx, ticketId, actor.id)))
      relation = relationOf(actor, ticket, true);
    return { number: ticket.number, relation };
  }

  private pagingRefusal(payload: TicketEventPayload, log: LoggedEvent[]): string | undefined {
    if (!pageMoves.has(payload.type)) return undefined;
    const { policy } = this.deps;
    const now = this.deps.now();
    const evaluation = evaluate(policy, policyHistory(log, policy.zone), now);
    return pagingRefusal(payload, evaluation, log, now, this.deps.recipients ?? noRecipients);
  }

  /** The schedules a page can be reassigned to (their ids), for the platforms' pickers. */
  reassignableSchedules(): string[] {
    return this.deps.recipients?.schedules?.() ?? [];
  }

  /** A ticket as the renderers show it, evaluated now (inside `tx` when a command is under way). */
  async view(ref: TicketRef, tx: Tx = this.deps.store.prisma): Promise<TicketView> {
    const ticket = await findTicket(tx, ref);
    return this.render(ticket, await loadEvents(tx, ticket.id));
  }

  /** Open tickets of a workspace (optionally one person's, as requester or assignee), soonest due first. */
  async list(filter: TicketFilter): Promise<TicketView[]> {
    const views = await this.viewsOf(await findTickets(this.deps.store.prisma, filter));
    return views.sort((a, b) => soonestDue(a) - soonestDue(b));
  }

  /** The team queue as App Home shows it: open tickets, soonest breach first (agents only). */
  async queue(actor: Actor, limit = 20): Promise<TicketView[]> {
    const denied = queryPermission(actor, "queue");
    if (denied) throw forbidden(denied);
    return (await this.list({ workspaceId: actor.workspaceId, limit: 200 })).slice(0, limit);
  }

  /** The weekly SLA digest of the last whole week, on demand (agents only); the same text the channel gets. */
  async digest(actor: Actor): Promise<string> {
    const denied = queryPermission(actor, "digest");
    if (denied) throw forbidden(denied);
    const { policy, store } = this.deps;
    const now = this.deps.now();
    return digestText(await weeklyDigest(store.prisma, policy, lastWeekStart(policy, now), now));
  }

  /** `/ticket search …` (agents only): best match first; see search.ts for what can be typed. */
  async search(actor: Actor, text: string, limit = 20): Promise<TicketView[]> {
    const denied = queryPermission(actor, "search");
    if (denied) throw forbidden(denied);
    const query = parseTicketQuery(text, this.deps.policy);
    if (
      !prefixQuery(query.words) &&
      !query.channelId &&
      !query.severity &&
      !query.customerId &&
      !query.breached
    )
      throw invalid(searchUsage);
    const prisma = this.deps.store.prisma;
    const now = this.deps.now().toJSDate();
    // "breached" is the policy's judgement, not a column: evaluate the open candidates and keep the breached.
    const ids = await searchTicketIds(prisma, actor.workspaceId, query, now, query.breached ? 1000 : limit);
    const rows = await prisma.ticket.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const views = await this.viewsOf(ids.flatMap((id) => byId.get(id) ?? []));
    const kept = query.breached ? views.filter((v) => v.targets.some((t) => t.state === "breached")) : views;
    return kept.slice(0, limit);
  }

  private async viewsOf(rows: TicketRow[]): Promise<TicketView[]> {
    const { logs } = await loadLogs(
      this.deps.store.prisma,
      rows.map((r) => r.id),
    );
    return rows.flatMap((row) => {
      const log = logs.get(row.id);
      return log ? [this.render(row, log)] : [];
    });
  }

  /** A ticket row and its log, evaluated now, as the renderers show it. */
  private render(ticket: TicketRow, log: LoggedEvent[]): TicketView {
    const { policy } = this.deps;
    const evaluation = evaluate(policy, policyHistory(log, policy.zone), this.deps.now());
    return ticketView(policy, ticket, replay(log), evaluation);
  }

  /** The ticket whose thread a chat message belongs to, if any (replies in the thread become comments). */
  findByThread(platform: Platform, channelId: string, threadId: string): Promise<string | undefined> {
    return ticketIdByThread(this.deps.store.prisma, platform, channelId, threadId);
  }

  /**
   * Like findByThread, and also the team's thread under the ticket's copy in its triage channel: `side` says
   * which (a reply on the team's side is an internal note).
   */
  findThread(platform: Platform, channelId: string, threadId: string) {
    return ticketByThread(this.deps.store.prisma, platform, channelId, threadId);
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
    const step = await this.appendOne(tx, ticketId, events, actor, payload, now, clientKey);
    const last = await this.applyFollowUps(tx, ticketId, step, now);
    return { ticket: last.view, duplicate: false };
  }

  /** The policy's own changes (raise severity, auto-resolve) are events too, by the scheduler. */
  private async applyFollowUps(
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
      current = await this.appendOne(tx, ticketId, current.log, systemActor, next, now);
      pending.push(...current.followUps);
    }
    return current;
  }

  private async appendOne(
    tx: Tx,
    ticketId: string,
    events: LoggedEvent[],
    actor: Actor | SystemActor,
    payload: TicketEventPayload,
    now: DateTime,
    clientKey?: string,
  ): Promise<AppendStep> {
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
      ? [
          threadNote(
            home,
            `e${seq}`,
            view,
            describeEvent(event, view),
            isInternal(event) ? "team" : "customer",
          ),
        ]
      : [];
    const before = events.length > 0 ? replay(events).status : undefined;
    const line = statusLine(this.deps.policy, before, state.status, view.number);
    const forCustomer = line ? [threadNote(home, `status${seq}`, view, [`ℹ️ ${line}`], "customer")] : [];
    // After the card: on a new ticket the card is the thread root the status line replies under.
    await enqueueNotifications(tx, [...narrated, ...notifications, ...forCustomer], now.toJSDate());
    return { view, log, followUps };
  }

  /**
   * The scheduler's entry: re-evaluates locked tickets at `now` with a fixed number of queries per batch
   * (not per ticket), writing what became due and each ticket's next check.
   */
  async reevaluate(tx: Tx, ticketIds: string[], now: DateTime): Promise<void> {
    if (ticketIds.length === 0) return;
    const [rows, { logs, unreadable }] = await Promise.all([
      tx.ticket.findMany({ where: { id: { in: ticketIds } } }),
      loadLogs(tx, ticketIds),
    ]);
    const policy = this.deps.policy;
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
      evaluated.flatMap(({ ticket, evaluation }) =>
        evaluation.actionsDue.map((a) => `${ticket.id}:${a.key}`),
      ),
    );
    const recipients = this.deps.recipients ?? noRecipients;
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
      ...plans.map((p) => ({ id: p.ticket.id, next: p.plan.nextCheckAt })),
      ...retryBroken,
    ]);
    for (const [id, error] of broken) this.deps.onTicketError?.(id, error);
    for (const { ticket, log, plan } of plans) {
      if (plan.followUps.length)
        await this.applyFollowUps(tx, ticket.id, { view: plan.view, log, followUps: plan.followUps }, now);
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
    const plan = planTicket(
      this.deps.policy,
      this.deps.recipients ?? noRecipients,
      ticket,
      log,
      evaluation,
      sent,
      now,
    );
    await tx.ticket.update({
      where: { id: ticketId },
      data: { ...rowFields(state), nextCheckAt: plan.nextCheckAt },
    });
    return plan;
  }

  private async replayed(tx: Tx, clientKey: string): Promise<CommandResult | undefined> {
    const seen = await tx.ticketEvent.findUnique({ where: { clientKey }, select: { ticketId: true } });
    if (!seen) return undefined;
    return { ticket: await this.view({ ticketId: seen.ticketId }, tx), duplicate: true };
  }

  private async transaction(
    work: (tx: Tx) => Promise<CommandResult>,
    clientKey?: string,
  ): Promise<CommandResult> {
    const prisma = this.deps.store.prisma;
    try {
      return await this.gate(() => prisma.$transaction(work, { timeout: 20_000, maxWait: 20_000 }));
    } catch (error) {
      // Two deliveries of one click raced past the check; the unique client key let exactly one through.
      if (clientKey && violates(error, "clientKey")) {
        const repeat = await prisma.$transaction((tx) => this.replayed(tx, clientKey));
        if (repeat) return repeat;
      }
      throw error;
    }
  }

  private afterCommit(): void {
    this.deps.onNotificationsWritten?.();
  }
}

const searchUsage =
  "Search for words, a customer (`customer:ID`), a `#channel`, a severity or `breached`, e.g. `search printer #support breached`.";

function soonestDue(view: TicketView): number {
  const pending = view.targets.filter((t) => t.due && t.state !== "met").map((t) => Date.parse(t.due!));
  return pending.length ? Math.min(...pending) : Number.POSITIVE_INFINITY;
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

/** A unique-constraint violation on that column (driver adapters name the index, not the column list). */
function violates(error: unknown, column: string): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    JSON.stringify(error.meta ?? {}).includes(column)
  );
}
