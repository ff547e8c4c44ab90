import type { DateTime } from "luxon";
import type { Store } from "../store/db.js";
import type { LoggedEvent } from "../tickets/events.js";
import { loadLogs } from "../tickets/log.js";

/**
 * The logs of the policy's tickets opened in [from, to), `batchSize` tickets at a time (in id order), so a
 * report or a metrics scrape over 100,000 tickets holds one batch of logs, not all of them. Unreadable ones
 * are left out and told to `warn`.
 */
export async function* ticketLogBatches(
  store: Store,
  policyId: string,
  range: { from: DateTime; to: DateTime },
  warn: (text: string) => void,
  batchSize = 500,
): AsyncGenerator<LoggedEvent[][]> {
  let after: string | undefined;
  for (;;) {
    const tickets = await store.prisma.ticket.findMany({
      where: {
        policyId,
        openedAt: { gte: range.from.toJSDate(), lt: range.to.toJSDate() },
        ...(after === undefined ? {} : { id: { gt: after } }),
      },
      select: { id: true },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (tickets.length === 0) return;
    const { logs, unreadable } = await loadLogs(
      store.prisma,
      tickets.map((t) => t.id),
    );
    for (const [id, error] of unreadable) warn(`warning: ticket ${id} left out: ${error.message}\n`);
    yield [...logs.values()];
    if (tickets.length < batchSize) return;
    after = tickets[tickets.length - 1]!.id;
  }
}
