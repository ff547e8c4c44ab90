-- The outbox's two indexes hold only rows still to send (issue 14). Sent rows pile up (tens of thousands a
-- week) while a claim looks only at the few pending or in flight: with full indexes, every claim's
-- "oldest unsent of this thread" check walked the thread's sent rows too, and every `sent` update wrote index
-- entries no claim would read. Partial indexes keep both the size of what is unsent. Same columns as
-- schema.prisma's @@index lines (which cannot say WHERE); the claim in src/store/outbox.ts repeats the
-- predicate so the planner may use them.
DROP INDEX IF EXISTS "Notification_state_availableAt_idx";
CREATE INDEX "Notification_state_availableAt_idx" ON "Notification" ("state", "availableAt")
  WHERE "state" IN ('pending', 'sending');

DROP INDEX IF EXISTS "Notification_orderingKey_id_idx";
CREATE INDEX "Notification_orderingKey_id_idx" ON "Notification" ("orderingKey", "id")
  WHERE "state" IN ('pending', 'sending');
