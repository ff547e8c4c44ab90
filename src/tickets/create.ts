import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import { appendEvent } from "./append.js";
import { type Actor, type CommandResult, systemActor, type TicketCore } from "./deps.js";
import type { TicketEventPayload } from "./events.js";
import { loadEvents } from "./log.js";
import { noRecipients, type Recipients, type TicketHome, teamDestination } from "./notifications.js";
import { onShift, roundRobinPool, takeTurn } from "./roundRobin.js";
import { nextTicketNumber } from "./rows.js";
import { type NewTicketFacts, type NewTicketInput, validateNewTicket } from "./validate.js";

/** Opens a ticket: its row, its origin message, its "created" event, and its round-robin assignee. */
export async function createTicket(
  core: TicketCore,
  actor: Actor,
  input: NewTicketInput,
  clientKey?: string,
): Promise<CommandResult> {
  const { deps } = core;
  const facts = validateNewTicket(deps.policy, input);
  const home: Destination = input.home;
  // The number is taken in a statement of its own, not under the command's transaction: the counter's
  // row lock held for a whole command would queue every /ticket of a workspace behind it. A command that
  // fails afterwards leaves a gap in the numbers, as a sequence would. A repeated click takes none.
  const prisma = deps.store.prisma;
  const seen = clientKey ? await core.replayed(prisma, clientKey) : undefined;
  if (seen) return seen;
  const number = await nextTicketNumber(prisma, actor.workspaceId);
  return core.transaction(async (tx) => {
    const repeat = clientKey ? await core.replayed(tx, clientKey) : undefined;
    if (repeat) return repeat;
    const now = deps.now();
    const ticket = await insertTicket(tx, { actor, input, facts, number, policyId: deps.policy.id, now });
    const payload: TicketEventPayload = { type: "created", ...facts };
    const first = { ticketId: ticket.id, events: [], actor, payload, now, clientKey };
    const created = await appendEvent(deps, tx, first);
    const where: TicketHome = {
      id: ticket.id,
      platform: home.platform,
      workspaceId: actor.workspaceId,
      channelId: ticket.homeChannelId,
      triageChannel: ticket.triageChannel,
    };
    return (await assignInTurn(core, tx, where, now)) ?? created;
  }, clientKey);
}

/** The ticket's row, and the chat message it was opened from (if any). */
async function insertTicket(
  tx: Tx,
  t: {
    actor: Actor;
    input: NewTicketInput;
    facts: NewTicketFacts;
    number: number;
    policyId: string;
    now: DateTime;
  },
) {
  const { actor, input, facts } = t;
  const home: Destination = input.home;
  const ticket = await tx.ticket.create({
    data: {
      workspaceId: actor.workspaceId,
      number: t.number,
      policyId: t.policyId,
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
      openedAt: t.now.toJSDate(),
    },
  });
  if (input.origin) {
    const origin = {
      ticketId: ticket.id,
      platform: home.platform,
      kind: "origin",
      workspaceId: actor.workspaceId,
    };
    await tx.chatLink.create({ data: { ...origin, ...input.origin } });
  }
  return ticket;
}

/**
 * Round-robin: a new ticket goes to the agent on shift whose turn it is, if the policy asks for it there.
 * When the schedules have nobody on shift, or everyone is away, the listed agents take the turn, and when
 * nobody can the ticket waits unassigned — each time the operator is told (admin channel, else the team's
 * thread), never silently.
 */
async function assignInTurn(core: TicketCore, tx: Tx, home: TicketHome, now: DateTime) {
  const pool = roundRobinPool(core.deps.policy, home.channelId);
  if (!pool) return undefined;
  const recipients = core.deps.recipients ?? noRecipients;
  const shift = onShift(pool, recipients, home.platform, now);
  let why = shift.nobodyOnShift;
  let agent = await takeTurn(tx, home.workspaceId, { pool: pool.pool, agents: shift.agents });
  if (!agent && !why && pool.schedules.length > 0) {
    why = `everyone on shift (${shift.agents.join(", ")}) is away`;
    agent = await takeTurn(tx, home.workspaceId, { pool: pool.pool, agents: pool.agents });
  }
  if (!agent) why ??= "every agent of the pool is away";
  if (why) await tellOperator(recipients, tx, home, why, agent, now);
  if (!agent) return undefined;
  const events = await loadEvents(tx, home.id);
  const payload: TicketEventPayload = { type: "assigned", assigneeId: agent };
  return appendEvent(core.deps, tx, { ticketId: home.id, events, actor: systemActor, payload, now });
}

async function tellOperator(
  recipients: Recipients,
  tx: Tx,
  home: TicketHome,
  why: string,
  agent: string | undefined,
  now: DateTime,
): Promise<void> {
  const number = (await tx.ticket.findUniqueOrThrow({ where: { id: home.id }, select: { number: true } }))
    .number;
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
