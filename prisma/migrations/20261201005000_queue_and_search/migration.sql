-- `/ticket queue` (issue 16) from an index instead of evaluating every open ticket on each call: each ticket's
-- soonest due instant of a target not yet met, written wherever its next check is (src/tickets/append.ts,
-- src/tickets/reevaluate.ts); null once resolved or closed, so the open tickets lead the index.
-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "nextDueAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_nextDueAt_idx" ON "Ticket"("workspaceId", "nextDueAt");

-- Backfill: SQL cannot evaluate the policy, so every open ticket is made due for a check now (its opening
-- instant is never later than the scheduler's clock, simulated or not); the scheduler's first ticks evaluate
-- them in batches and write the column. Until then such a ticket sorts last in the queue.
UPDATE "Ticket" SET "nextCheckAt" = LEAST("nextCheckAt", "openedAt")
 WHERE status IN ('open', 'responded', 'waiting');

-- `/ticket search` (issue 16): PostgreSQL's text parser reads `<prod>` as a markup tag and leaves it out of the
-- document, so a ticket about "<prod>" was not found by "prod". Angle brackets are read as spaces instead;
-- src/tickets/search.ts repeats this expression exactly so the planner uses the index.
DROP INDEX "Ticket_search_idx";
CREATE INDEX "Ticket_search_idx" ON "Ticket" USING GIN (
    to_tsvector('simple'::regconfig,
        translate("summary" || ' ' || "description" || ' ' || coalesce("customerId", ''), '<>', '  '))
);
