import { evaluate } from "../policy/index.js";
import type { Tx } from "../store/outbox.js";
import { notAnAgent } from "./agents.js";
import { appendEvent } from "./append.js";
import type { Actor, CommandOutcome, TicketCore, TicketServiceDeps } from "./deps.js";
import { forbidden, invalid } from "./errors.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import { policyHistory } from "./history.js";
import { loadEvents } from "./log.js";
import { noRecipients } from "./notifications.js";
import { pagingRefusal } from "./paging.js";
import { identityColumns, type TicketIdentityRow } from "./plan.js";
import { findTicket, lockTicket, type TicketRef, wasPaged } from "./rows.js";
import {
  commandOf,
  completePayload,
  pageMoves,
  permission,
  type Relation,
  relationOf,
  reopensOnReply,
  type TicketCommand,
} from "./rules.js";
import { refusal, replay } from "./state.js";

/** Appends one event to an existing ticket (comment, assign, severity, wait, resume, resolve, close, reopen). */
export async function recordEvent(
  core: TicketCore,
  ref: TicketRef,
  actor: Actor,
  payload: TicketEventPayload,
  clientKey?: string,
): Promise<CommandOutcome> {
  const { deps } = core;
  // Asked before the transaction: a platform may take a network round trip to tell (Slack user groups).
  const assigneeIsAgent = await assigneeCheck(core, actor, payload);
  return core.transaction(async (tx) => {
    const repeat = clientKey ? await core.replayed(tx, clientKey) : undefined;
    if (repeat) return repeat;
    const ticketId = await lockTicket(tx, ref);
    let events = await loadEvents(tx, ticketId);
    let state = replay(events);
    const { number, relation, ticket } = await relationTo(tx, ticketId, actor);
    const complete = completePayload(deps.policy, state, payload, relation);
    const command = commandOf(complete);
    const denied = command ? permission(relation, command) : "the ticket exists already";
    if (denied) throw forbidden(`#${number}: ${denied}.`);
    if (assigneeIsAgent === false && complete.type === "assigned" && complete.assigneeId)
      throw invalid(notAnAgent(number));
    if (reopensOnReply(state, complete)) {
      // The requester or their colleagues writing back about a resolved ticket reopen it (a new cycle).
      const reopened: TicketEventPayload = { type: "reopened", why: "the customer replied" };
      await appendEvent(deps, tx, { ticketId, events, actor, payload: reopened, now: deps.now(), ticket });
      events = await loadEvents(tx, ticketId);
      state = replay(events);
    }
    const reason = refusal(state, complete) ?? pageMoveRefusal(deps, complete, events, actor);
    if (reason) throw invalid(`#${number}: ${reason}.`);
    const now = deps.now();
    return appendEvent(deps, tx, { ticketId, events, actor, payload: complete, now, clientKey, ticket });
  }, clientKey);
}

/** Whether the person a ticket is being assigned to is an agent (undefined: not an assignment, or unknown). */
async function assigneeCheck(
  core: TicketCore,
  actor: Actor,
  payload: TicketEventPayload,
): Promise<boolean | undefined> {
  if (payload.type !== "assigned" || !payload.assigneeId || payload.assigneeId === actor.id) return undefined;
  return core.agents.isAgent(actor.platform, actor.workspaceId, payload.assigneeId);
}

/** Refuses (forbidden) unless the rule table lets `actor` give `command` on the ticket. */
export async function authorize(tx: Tx, ref: TicketRef, actor: Actor, command: TicketCommand): Promise<void> {
  const ticket = await findTicket(tx, ref);
  const { relation } = await relationTo(tx, ticket.id, actor);
  const denied = permission(relation, command);
  if (denied) throw forbidden(`#${ticket.number}: ${denied}.`);
}

/** Who `actor` is to the ticket (requester, agent of its workspace, another customer …). */
async function relationTo(
  tx: Tx,
  ticketId: string,
  actor: Actor,
): Promise<{ number: number; relation: Relation; ticket: TicketIdentityRow }> {
  const ticket = await tx.ticket.findUniqueOrThrow({
    where: { id: ticketId },
    select: { ...identityColumns, customerId: true },
  });
  let relation = relationOf(actor, ticket, false);
  if (relation === "otherCustomer" && (await wasPaged(tx, ticketId, actor.id)))
    relation = relationOf(actor, ticket, true);
  return { number: ticket.number, relation, ticket };
}

function pageMoveRefusal(
  deps: TicketServiceDeps,
  payload: TicketEventPayload,
  log: LoggedEvent[],
  actor: Actor,
): string | undefined {
  if (!pageMoves.has(payload.type)) return undefined;
  const { policy } = deps;
  const now = deps.now();
  const evaluation = evaluate(policy, policyHistory(log, policy.zone), now);
  return pagingRefusal(payload, evaluation, log, now, deps.recipients ?? noRecipients, actor);
}
