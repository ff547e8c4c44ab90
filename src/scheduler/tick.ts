import type { DateTime } from "luxon";
import type { Logger } from "../logger.js";
import type { Store } from "../store/db.js";
import type { TicketService } from "../tickets/service.js";

export interface TickDeps {
  store: Store;
  tickets: TicketService;
  logger: Logger;
  batchSize?: number;
  /** Runs first (the on-call directory re-reads covers other replicas added). */
  beforeTick?: () => Promise<void>;
}

export interface TickResult {
  evaluated: number;
  batches: number;
}

/**
 * One scheduler tick: every ticket whose next check has come is re-evaluated once, and its due actions are
 * written to the outbox in the same transaction that moves its next check forward. Replicas ticking at
 * the same minute split the work: `FOR UPDATE SKIP LOCKED` hands each due ticket to exactly one of them,
 * and once evaluated its next check lies after `now`, so no one picks it up again this tick.
 */
export async function runTick(deps: TickDeps, now: DateTime): Promise<TickResult> {
  const batchSize = deps.batchSize ?? 200;
  const result: TickResult = { evaluated: 0, batches: 0 };
  await deps.beforeTick?.();
  for (;;) {
    const evaluated = await deps.store.prisma.$transaction(
      async (tx) => {
        const due = await tx.$queryRawUnsafe<{ id: string }[]>(
          `SELECT id::text FROM "Ticket" WHERE "nextCheckAt" <= $1 ORDER BY "nextCheckAt" LIMIT $2 FOR UPDATE SKIP LOCKED`,
          now.toJSDate(),
          batchSize,
        );
        await deps.tickets.reevaluate(
          tx,
          due.map((d) => d.id),
          now,
        );
        return due.length;
      },
      { timeout: 120_000, maxWait: 20_000 },
    );
    if (evaluated === 0) break;
    result.evaluated += evaluated;
    result.batches++;
    if (evaluated < batchSize) break;
  }
  if (result.evaluated > 0) deps.logger.debug({ ...result, at: now.toISO() }, "tick");
  return result;
}

/** The earliest next check of any ticket: where simulated time stops on its way forward. */
export async function earliestNextCheck(store: Store): Promise<Date | null> {
  const row = await store.prisma.ticket.findFirst({
    where: { nextCheckAt: { not: null } },
    orderBy: { nextCheckAt: "asc" },
    select: { nextCheckAt: true },
  });
  return row?.nextCheckAt ?? null;
}
