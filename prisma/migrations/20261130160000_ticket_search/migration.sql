-- Full-text search over tickets for `/ticket search` (issue 16): summary, description and customer id, with
-- the 'simple' configuration (no language stemming: vendors write in many languages, and ids must match as
-- typed). An expression index, which schema.prisma cannot express; the query in src/tickets/search.ts repeats
-- the expression exactly so the planner uses it.
CREATE INDEX "Ticket_search_idx" ON "Ticket" USING GIN (
    to_tsvector('simple'::regconfig, "summary" || ' ' || "description" || ' ' || coalesce("customerId", ''))
);
