import type { Tx } from "../store/outbox.js";
import { type LoggedEvent, parseLoggedEvent } from "./events.js";

/** One ticket's event log, oldest first. */
export async function loadEvents(tx: Tx, ticketId: string): Promise<LoggedEvent[]> {
  const rows = await tx.ticketEvent.findMany({ where: { ticketId }, orderBy: { seq: "asc" } });
  return rows.map(parseLoggedEvent);
}

/** Many tickets' logs in one query (a scheduler batch, a report). */
export async function loadLogs(tx: Tx, ticketIds: string[]): Promise<Map<string, LoggedEvent[]>> {
  const rows = await tx.ticketEvent.findMany({
    where: { ticketId: { in: ticketIds } },
    orderBy: [{ ticketId: "asc" }, { seq: "asc" }],
  });
  const logs = new Map<string, LoggedEvent[]>();
  for (const row of rows) {
    const log = logs.get(row.ticketId) ?? [];
    log.push(parseLoggedEvent(row));
    logs.set(row.ticketId, log);
  }
  return logs;
}
