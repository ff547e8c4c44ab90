-- CreateTable
CREATE TABLE "TicketCounter" (
    "workspaceId" TEXT NOT NULL,
    "lastNumber" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TicketCounter_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateTable
CREATE TABLE "Ticket" (
    "id" UUID NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "policyId" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "severity" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "plan" TEXT,
    "category" TEXT,
    "customerId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "requesterId" TEXT NOT NULL,
    "assigneeId" TEXT,
    "homePlatform" TEXT NOT NULL,
    "homeChannelId" TEXT NOT NULL,
    "cycle" INTEGER NOT NULL DEFAULT 1,
    "resolution" TEXT,
    "openedAt" TIMESTAMPTZ(3) NOT NULL,
    "respondedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "nextCheckAt" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TicketEvent" (
    "id" SERIAL NOT NULL,
    "ticketId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "clientKey" TEXT,

    CONSTRAINT "TicketEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatLink" (
    "id" SERIAL NOT NULL,
    "ticketId" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "threadId" TEXT,
    "permalink" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "ticketId" UUID,
    "kind" TEXT NOT NULL,
    "target" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "orderingKey" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMPTZ(3),
    "leasedBy" TEXT,
    "lastError" TEXT,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "platformMessageId" TEXT,
    "platformThreadId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OncallSchedule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OncallSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OncallOverride" (
    "id" SERIAL NOT NULL,
    "scheduleId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OncallOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "teamId" TEXT,
    "enterpriseId" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "botUserId" TEXT,
    "installation" JSONB NOT NULL,
    "installedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamsConversation" (
    "id" SERIAL NOT NULL,
    "conversationId" TEXT NOT NULL,
    "tenantId" TEXT,
    "serviceUrl" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "userAadId" TEXT,
    "reference" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TeamsConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundEvent" (
    "id" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InboundEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Ticket_nextCheckAt_idx" ON "Ticket"("nextCheckAt");

-- CreateIndex
CREATE INDEX "Ticket_workspaceId_status_idx" ON "Ticket"("workspaceId", "status");

-- CreateIndex
CREATE INDEX "Ticket_assigneeId_status_idx" ON "Ticket"("assigneeId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Ticket_workspaceId_number_key" ON "Ticket"("workspaceId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "TicketEvent_clientKey_key" ON "TicketEvent"("clientKey");

-- CreateIndex
CREATE UNIQUE INDEX "TicketEvent_ticketId_seq_key" ON "TicketEvent"("ticketId", "seq");

-- CreateIndex
CREATE INDEX "ChatLink_ticketId_idx" ON "ChatLink"("ticketId");

-- CreateIndex
CREATE INDEX "ChatLink_platform_channelId_threadId_idx" ON "ChatLink"("platform", "channelId", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatLink_platform_channelId_messageId_key" ON "ChatLink"("platform", "channelId", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_key_key" ON "Notification"("key");

-- CreateIndex
CREATE INDEX "Notification_state_availableAt_idx" ON "Notification"("state", "availableAt");

-- CreateIndex
CREATE INDEX "Notification_orderingKey_id_idx" ON "Notification"("orderingKey", "id");

-- CreateIndex
CREATE INDEX "OncallOverride_scheduleId_endsAt_idx" ON "OncallOverride"("scheduleId", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_key_key" ON "SlackInstallation"("key");

-- CreateIndex
CREATE UNIQUE INDEX "TeamsConversation_conversationId_key" ON "TeamsConversation"("conversationId");

-- CreateIndex
CREATE INDEX "TeamsConversation_userAadId_idx" ON "TeamsConversation"("userAadId");

-- CreateIndex
CREATE INDEX "InboundEvent_receivedAt_idx" ON "InboundEvent"("receivedAt");

-- AddForeignKey
ALTER TABLE "TicketEvent" ADD CONSTRAINT "TicketEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatLink" ADD CONSTRAINT "ChatLink_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OncallOverride" ADD CONSTRAINT "OncallOverride_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "OncallSchedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
