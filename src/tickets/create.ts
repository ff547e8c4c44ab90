import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import {
  type AppendStep,
  appendSteps,
  applyFollowUps,
  decideStep,
  type NewTicketColumns,
  writeStep,
} from "./append.js";
import { type Actor, type CommandOutcome, systemActor, type TicketCore } from "./deps.js";
import type { TicketEventPayload } from "./events.js";
import { noRecipients, type Recipients, type TicketHome, teamDestination } from "./notifications.js";
import type { TicketIdentityRow } from "./plan.js";
import { viewTicket } from "./queries.js";
import { onShift, type RoundRobinPool, roundRobinPool, takeTurn } from "./roundRobin.js";
import { insertOpening, takeTicketNumber } from "./rows.js";
import { type NewTicketInput, validateNewTicket } from "./validate.js";

/** Opens a ticket: its row, its origin message, its "created" event, and its round-robin assignee. */
export async function createTicket(
  core: TicketCore,
  actor: Actor,
  input: NewTicketInput,
  clientKey?: string,
): Promise<CommandOutcome> {
  const { deps } = core;
  const facts = validateNewTicket(deps.policy, input);
  // The number is taken in a statement of its own, not under the command's transaction: the counter's
  // row lock held for a whole command would queue every /ticket of a workspace behind it. A command that
  // fails afterwards leaves a gap in the numbers, as a sequence would. A repeated click takes none: the
  // same statement looks for the event of its client key first. Two deliveries of one click that both get
  // past it (a race) are told apart by the client key's unique index, which fails the second opening whole.
  const taken = await takeTicketNumber(deps.store.queries, actor.workspaceId, clientKey ?? null);
  if ("repeatOf" in taken)
    return {
      ticket: await viewTicket(deps, { ticketId: taken.repeatOf }, deps.store.prisma),
      duplicate: true,
    };
  const now = deps.now();
  const { ticket, opening } = newTicketRow(actor, input, taken.number, deps.policy.id);
  const payload: TicketEventPayload = { type: "created", ...facts };
  const first = { ticketId: ticket.id, events: [], actor, payload, now, clientKey, ticket, opening };
  // An opening reads nothing (its row is in hand, it has no outbox rows yet): what it writes is decided first.
  const { step, writes } = await decideStep(deps, deps.store.prisma, first);
  const pool = roundRobinPool(deps.policy, ticket.homeChannelId);
  const outcome = (last: AppendStep) => ({
    ticket: last.view,
    duplicate: false,
    nextCheckAt: last.nextCheckAt,
  });
  // Nothing follows from it (the usual case): the opening is one statement, with no transaction around it.
  if (step.followUps.length === 0 && !pool && !input.origin)
    return core.statement(async (sql) => {
      await insertOpening(sql, writes, opening);
      return outcome(step);
    }, clientKey);
  return core.transaction(async (tx) => {
    await writeStep(tx, writes);
    const created = await applyFollowUps(deps, tx, ticket.id, step, now);
    if (input.origin) {
      const origin = { ticketId: ticket.id, platform: ticket.homePlatform, kind: "origin" };
      await tx.chatLink.create({
        data: { ...origin, workspaceId: actor.workspaceId, ...input.origin },
        select: { id: true },
      });
    }
    const where: TicketHome = {
      id: ticket.id,
      platform: input.home.platform,
      workspaceId: actor.workspaceId,
      channelId: ticket.homeChannelId,
      triageChannel: ticket.triageChannel,
    };
    return outcome((pool ? await assignInTurn(core, tx, pool, where, created, now) : undefined) ?? created);
  }, clientKey);
}

/**
 * The new ticket's row as far as the plan needs it, and its columns the "created" event does not decide;
 * the id is made here, so the row is written once, with its state and next check (see appendEvent).
 */
function newTicketRow(
  actor: Actor,
  input: NewTicketInput,
  number: number,
  policyId: string,
): { ticket: TicketIdentityRow; opening: NewTicketColumns } {
  const home: Destination = input.home;
  const ticket: TicketIdentityRow = {
    id: randomUUID(),
    workspaceId: actor.workspaceId,
    number,
    requesterId: actor.id,
    homePlatform: home.platform,
    homeChannelId: home.channelId ?? "",
    triageChannel: input.triageChannel ?? null,
  };
  const { id: _, ...columns } = ticket;
  return { ticket, opening: { ...columns, policyId, customerId: input.customerId ?? null } };
}

/**
 * Round-robin: a new ticket goes to the agent on shift whose turn it is, if the policy asks for it there.
 * When the schedules have nobody on shift, or everyone is away, the listed agents take the turn, and when
 * nobody can the ticket waits unassigned — each time the operator is told (admin channel, else the team's
 * thread), never silently.
 */
async function assignInTurn(
  core: TicketCore,
  tx: Tx,
  pool: RoundRobinPool,
  home: TicketHome,
  created: AppendStep,
  now: DateTime,
) {
  const recipients = core.deps.recipients ?? noRecipients;
  const shift = onShift(pool, recipients, home.platform, now);
  let why = shift.nobodyOnShift;
  let agent = await takeTurn(tx, home.workspaceId, { pool: pool.pool, agents: shift.agents });
  if (!agent && !why && pool.schedules.length > 0) {
    why = `everyone on shift (${shift.agents.join(", ")}) is away`;
    agent = await takeTurn(tx, home.workspaceId, { pool: pool.pool, agents: pool.agents });
  }
  if (!agent) why ??= "every agent of the pool is away";
  if (why) await tellOperator(recipients, tx, home, created.view.number, why, agent, now);
  if (!agent) return undefined;
  const payload: TicketEventPayload = { type: "assigned", assigneeId: agent };
  const { log: events, ticket } = created;
  return appendSteps(core.deps, tx, { ticketId: home.id, events, actor: systemActor, payload, now, ticket });
}

async function tellOperator(
  recipients: Recipients,
  tx: Tx,
  home: TicketHome,
  number: number,
  why: string,
  agent: string | undefined,
  now: DateTime,
): Promise<void> {
  const outcome = agent
    ? `it went to ${agent}, from the pool's listed agents`
    : "it waits unassigned: assign it by hand, and check chat.roundRobin and the schedules";
  const alert = {
    key: `${home.id}:roundRobin`,
    ticketId: home.id,
    kind: "adminAlert",
    target: { ...(recipients.admin?.() ?? teamDestination(home)) },
    payload: { type: "adminAlert", text: `#${number}: round-robin: ${why}; ${outcome}.` },
    orderingKey: null,
  };
  await enqueueNotifications(tx, [alert], now.toJSDate());
}
