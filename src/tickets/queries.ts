import type { TicketView } from "../chat/port.js";
import { evaluate } from "../policy/index.js";
import type { Tx } from "../store/outbox.js";
import type { Actor, TicketServiceDeps } from "./deps.js";
import { forbidden, invalid } from "./errors.js";
import type { LoggedEvent } from "./events.js";
import { policyHistory } from "./history.js";
import { loadEvents, loadLogs } from "./log.js";
import type { TicketRow } from "./plan.js";
import { findTicket, findTickets, queueTickets, type TicketFilter, type TicketRef } from "./rows.js";
import { queryPermission } from "./rules.js";
import { parseTicketQuery, prefixQuery, searchTicketIds } from "./search.js";
import { replay } from "./state.js";
import { soonestDue, ticketView } from "./view.js";

/** Reading tickets as the renderers show them: one, a list, the queue, a search (the digest: digest.ts). */

/** A ticket as the renderers show it, evaluated now (inside `tx` when a command is under way). */
export async function viewTicket(deps: TicketServiceDeps, ref: TicketRef, tx: Tx): Promise<TicketView> {
  const ticket = await findTicket(tx, ref);
  return render(deps, ticket, await loadEvents(tx, ticket.id));
}

/** Open tickets of a workspace (optionally one person's, as requester or assignee), soonest due first. */
export async function listTickets(deps: TicketServiceDeps, filter: TicketFilter): Promise<TicketView[]> {
  const views = await viewsOf(deps, await findTickets(deps.store.prisma, filter));
  return views.sort((a, b) => soonestDue(a) - soonestDue(b));
}

/**
 * The team queue as App Home shows it: open tickets, soonest breach first (agents only). The rows come sorted
 * and limited by the database (`nextDueAt`, written at each evaluation); only those shown are evaluated.
 */
export async function teamQueue(deps: TicketServiceDeps, actor: Actor, limit: number): Promise<TicketView[]> {
  const denied = queryPermission(actor, "queue");
  if (denied) throw forbidden(denied);
  const rows = await queueTickets(deps.store.prisma, actor.workspaceId, limit);
  return (await viewsOf(deps, rows)).sort((a, b) => soonestDue(a) - soonestDue(b));
}

/** `/ticket search …` (agents only): best match first; see search.ts for what can be typed. */
export async function searchTickets(
  deps: TicketServiceDeps,
  actor: Actor,
  text: string,
  limit: number,
): Promise<TicketView[]> {
  const denied = queryPermission(actor, "search");
  if (denied) throw forbidden(denied);
  const query = parseTicketQuery(text, deps.policy);
  const narrowed = query.channelId || query.severity || query.customerId || query.personId || query.breached;
  if (!prefixQuery(query.words) && !narrowed) throw invalid(searchUsage);
  const prisma = deps.store.prisma;
  const now = deps.now().toJSDate();
  // "breached" is the policy's judgement, not a column: evaluate the open candidates and keep the breached.
  const ids = await searchTicketIds(prisma, actor.workspaceId, query, now, query.breached ? 1000 : limit);
  const rows = await prisma.ticket.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const views = await viewsOf(
    deps,
    ids.flatMap((id) => byId.get(id) ?? []),
  );
  const kept = query.breached ? views.filter((v) => v.targets.some((t) => t.state === "breached")) : views;
  return kept.slice(0, limit);
}

async function viewsOf(deps: TicketServiceDeps, rows: TicketRow[]): Promise<TicketView[]> {
  const { logs } = await loadLogs(
    deps.store.prisma,
    rows.map((r) => r.id),
  );
  return rows.flatMap((row) => {
    const log = logs.get(row.id);
    return log ? [render(deps, row, log)] : [];
  });
}

/** A ticket row and its log, evaluated now, as the renderers show it. */
function render(deps: TicketServiceDeps, ticket: TicketRow, log: LoggedEvent[]): TicketView {
  const { policy } = deps;
  const evaluation = evaluate(policy, policyHistory(log, policy.zone), deps.now());
  return ticketView(policy, ticket, replay(log), evaluation);
}

const searchUsage =
  "Search for words, a customer (`customer:ID`), a `#channel`, an `@person` (who asked or holds it), a severity or `breached`, e.g. `search printer #support breached`.";
