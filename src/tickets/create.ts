import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import type { Tx } from "../store/outbox.js";
import { appendEvent } from "./append.js";
import { type Actor, type CommandResult, systemActor, type TicketCore } from "./deps.js";
import type { TicketEventPayload } from "./events.js";
import { loadEvents } from "./log.js";
import { roundRobinPool, takeTurn } from "./roundRobin.js";
import { nextTicketNumber } from "./rows.js";
import { type NewTicketInput, validateNewTicket } from "./validate.js";

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
    const ticket = await tx.ticket.create({
      data: {
        workspaceId: actor.workspaceId,
        number,
        policyId: deps.policy.id,
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
    const created = await appendEvent(deps, tx, ticket.id, [], actor, payload, now, clientKey);
    const channelId = home.channelId ?? "";
    return (await assignInTurn(core, tx, ticket.id, actor.workspaceId, channelId, now)) ?? created;
  }, clientKey);
}

/** Round-robin: a new ticket goes to the agent whose turn it is, if the policy asks for it there. */
async function assignInTurn(
  core: TicketCore,
  tx: Tx,
  ticketId: string,
  workspaceId: string,
  channelId: string,
  now: DateTime,
): Promise<CommandResult | undefined> {
  const pool = roundRobinPool(core.deps.policy, channelId);
  if (!pool) return undefined;
  const agent = await takeTurn(tx, workspaceId, pool);
  if (!agent) return undefined; // everyone is out: the ticket waits unassigned, as without round-robin
  const events = await loadEvents(tx, ticketId);
  const payload: TicketEventPayload = { type: "assigned", assigneeId: agent };
  return appendEvent(core.deps, tx, ticketId, events, systemActor, payload, now);
}
