import type { DateTime } from "luxon";
import pLimit, { type LimitFunction } from "p-limit";
import type { Destination, Platform, TicketView } from "../chat/port.js";
import { Prisma } from "../generated/prisma/client.js";
import type { Policy } from "../policy/types.js";
import type { SqlQuery } from "../store/db.js";
import type { Tx } from "../store/outbox.js";
import { AgentLookup } from "./agents.js";
import { appendEvent } from "./append.js";
import { createTicket } from "./create.js";
import type {
  Actor,
  CommandOutcome,
  CommandResult,
  SystemActor,
  TicketCore,
  TicketServiceDeps,
} from "./deps.js";
import { digestOnDemand, postDigestHere } from "./digest.js";
import { forbidden } from "./errors.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import { listTickets, searchTickets, teamQueue, viewTicket } from "./queries.js";
import { authorize, recordEvent } from "./record.js";
import { reevaluateTickets } from "./reevaluate.js";
import { setAway } from "./roundRobin.js";
import { type TicketFilter, type TicketRef, ticketByThread, ticketIdByThread } from "./rows.js";
import type { TicketCommand } from "./rules.js";
import type { NewTicketInput } from "./validate.js";

export type { Actor, CommandResult, SystemActor, TicketServiceDeps } from "./deps.js";
export type { TicketRef } from "./rows.js";

/**
 * The only writer of tickets, and the one door to them. Each command appends one event, recomputes the
 * policy's view of the ticket, stores the next instant the scheduler must look, and writes the resulting
 * messages to the outbox — all in one transaction. The work is in the modules: create.ts, record.ts (every
 * later event), append.ts (an event's consequences), reevaluate.ts (the scheduler's), queries.ts (reading).
 */
export class TicketService {
  /**
   * Commands wait their turn here rather than for a pooled connection: a burst past what the database can
   * take queues in order instead of failing when Prisma's wait for a connection runs out.
   */
  private readonly gate: LimitFunction;
  private readonly core: TicketCore;
  /** Who is an agent on each platform: each chat adapter registers its platform's rule here. */
  readonly agents: AgentLookup;

  constructor(private readonly deps: TicketServiceDeps) {
    this.gate = pLimit(deps.concurrentCommands ?? 8);
    this.agents = deps.agents ?? new AgentLookup();
    this.core = {
      deps,
      agents: this.agents,
      transaction: (work, clientKey) => this.transaction(work, clientKey),
      statement: (work, clientKey) => this.statement(work, clientKey),
      replayed: (tx, clientKey) => this.replayed(tx, clientKey),
    };
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  async create(actor: Actor, input: NewTicketInput, clientKey?: string): Promise<CommandResult> {
    return this.afterCommit(await createTicket(this.core, actor, input, clientKey));
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
    return this.afterCommit(await recordEvent(this.core, ref, actor, payload, clientKey));
  }

  /** Refuses (forbidden) unless the rule table lets `actor` give `command` on the ticket. */
  authorize(ref: TicketRef, actor: Actor, command: TicketCommand): Promise<void> {
    return authorize(this.deps.store.prisma, ref, actor, command);
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

  /** The schedules a page can be reassigned to (their ids), for the platforms' pickers. */
  reassignableSchedules(): string[] {
    return this.deps.recipients?.schedules?.() ?? [];
  }

  /** A ticket as the renderers show it, evaluated now (inside `tx` when a command is under way). */
  view(ref: TicketRef, tx: Tx = this.deps.store.prisma): Promise<TicketView> {
    return viewTicket(this.deps, ref, tx);
  }

  /** Open tickets of a workspace (optionally one person's, as requester or assignee), soonest due first. */
  list(filter: TicketFilter): Promise<TicketView[]> {
    return listTickets(this.deps, filter);
  }

  /** The team queue as App Home shows it: open tickets, soonest breach first (agents only). */
  queue(actor: Actor, limit = 20): Promise<TicketView[]> {
    return teamQueue(this.deps, actor, limit);
  }

  /** The weekly SLA digest of the last whole week, on demand (agents only); the same text the channel gets. */
  digest(actor: Actor): Promise<string> {
    return digestOnDemand(this.deps, actor);
  }

  /**
   * `/ticket digest post` (agents only): last week's digest, chart included, posted once per `requestKey`
   * into `destination` through the outbox; `refusal` says why the bot cannot post there (see digest.ts).
   */
  postDigest(
    actor: Actor,
    destination: Destination,
    requestKey: string,
    refusal?: () => Promise<string | undefined>,
  ): Promise<boolean> {
    return postDigestHere(this.deps, actor, destination, requestKey, refusal);
  }

  /** `/ticket search …` (agents only): best match first; see search.ts for what can be typed. */
  search(actor: Actor, text: string, limit = 20): Promise<TicketView[]> {
    return searchTickets(this.deps, actor, text, limit);
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

  /** Appends an event and everything that follows from it (the scheduler's policy changes use it too). */
  async append(
    tx: Tx,
    ticketId: string,
    events: LoggedEvent[],
    actor: Actor | SystemActor,
    payload: TicketEventPayload,
    now: DateTime,
    clientKey?: string,
  ): Promise<CommandResult> {
    const { nextCheckAt: _, ...result } = await appendEvent(this.deps, tx, {
      ticketId,
      events,
      actor,
      payload,
      now,
      clientKey,
    });
    return result;
  }

  /** The scheduler's entry: re-evaluates locked tickets at `now` (see reevaluate.ts). */
  reevaluate(tx: Tx, ticketIds: string[], now: DateTime): Promise<void> {
    return reevaluateTickets(this.deps, tx, ticketIds, now);
  }

  private async replayed(tx: Tx, clientKey: string): Promise<CommandResult | undefined> {
    const seen = await tx.ticketEvent.findUnique({ where: { clientKey }, select: { ticketId: true } });
    if (!seen) return undefined;
    return { ticket: await this.view({ ticketId: seen.ticketId }, tx), duplicate: true };
  }

  private transaction(
    work: (tx: Tx) => Promise<CommandOutcome>,
    clientKey?: string,
  ): Promise<CommandOutcome> {
    const prisma = this.deps.store.prisma;
    return this.inTurn(() => prisma.$transaction(work, { timeout: 20_000, maxWait: 20_000 }), clientKey);
  }

  /** A command whose writes are one statement (atomic alone): no transaction, straight on the driver. */
  private statement(work: (sql: SqlQuery) => Promise<CommandOutcome>, clientKey?: string) {
    return this.inTurn(() => work(this.deps.store.queries), clientKey);
  }

  private async inTurn(work: () => Promise<CommandOutcome>, clientKey?: string): Promise<CommandOutcome> {
    try {
      return await this.gate(work);
    } catch (error) {
      // Two deliveries of one click raced past the check; the unique client key let exactly one through.
      if (clientKey && violates(error, "clientKey")) {
        const repeat = await this.deps.store.prisma.$transaction((tx) => this.replayed(tx, clientKey));
        if (repeat) return repeat;
      }
      throw error;
    }
  }

  /** Tells the scheduler (send, and the next check the command stored); answers the command's result. */
  private afterCommit({ nextCheckAt, ...result }: CommandOutcome): CommandResult {
    // A repeat stored nothing: nothing for the timer to move.
    this.deps.onNotificationsWritten?.(result.duplicate ? null : nextCheckAt);
    return result;
  }
}

/**
 * A unique-constraint violation on that column: from a Prisma model call (P2002; driver adapters name the
 * index, not the column list), a Prisma raw statement (P2010, PostgreSQL's 23505 in its message), or the
 * driver itself (PostgreSQL's and PGlite's errors carry the code and the constraint).
 */
function violates(error: unknown, column: string): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError)
    return (
      (error.code === "P2002" && JSON.stringify(error.meta ?? {}).includes(column)) ||
      (error.code === "P2010" && error.message.includes("23505") && error.message.includes(`_${column}_`))
    );
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === "23505" && typeof constraint === "string" && constraint.includes(`_${column}_`);
}
