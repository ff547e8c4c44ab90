import type { Tx } from "../store/outbox.js";
import { type LoggedEvent, parseLoggedEvent } from "./events.js";

/** One ticket's event log, oldest first. */
export async function loadEvents(tx: Tx, ticketId: string): Promise<LoggedEvent[]> {
  const rows = await tx.ticketEvent.findMany({ where: { ticketId }, orderBy: { seq: "asc" } });
  return rows.map(parseLoggedEvent);
}

/**
 * Many tickets' logs in one query (a scheduler batch, a report). A ticket whose log cannot be read is kept
 * apart in `unreadable` so that it cannot stop the others.
 */
export async function loadLogs(
  tx: Tx,
  ticketIds: string[],
): Promise<{ logs: Map<string, LoggedEvent[]>; unreadable: Map<string, Error> }> {
  const rows = await tx.ticketEvent.findMany({
    where: { ticketId: { in: ticketIds } },
    orderBy: [{ ticketId: "asc" }, { seq: "asc" }],
  });
  const logs = new Map<string, LoggedEvent[]>();
  const unreadable = new Map<string, Error>();
  for (const row of rows) {
    if (unreadable.has(row.ticketId)) continue;
    try {
      const log = logs.get(row.ticketId) ?? [];
      log.push(parseLoggedEvent(row));
      logs.set(row.ticketId, log);
    } catch (error) {
      logs.delete(row.ticketId);
      unreadable.set(row.ticketId, new Error(`event ${row.seq} cannot be read: ${(error as Error).message}`));
    }
  }
  return { logs, unreadable };
}
