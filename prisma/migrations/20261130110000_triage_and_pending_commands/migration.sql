-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "triageChannel" TEXT;

-- CreateTable
CREATE TABLE "PendingCommand" (
    "id" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PendingCommand_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PendingCommand_receivedAt_idx" ON "PendingCommand"("receivedAt");
