-- Acknowledged Slack requests are carried out by a bounded worker on any replica, which leases a row
-- (owner token + leaseUntil, as the outbox does): a row whose holder died is taken over once its lease
-- lapses. A row with no lease is waiting for its turn.
ALTER TABLE "PendingCommand" ADD COLUMN "leasedBy" TEXT;
ALTER TABLE "PendingCommand" ADD COLUMN "leaseUntil" TIMESTAMPTZ(3);
ALTER TABLE "PendingCommand" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
