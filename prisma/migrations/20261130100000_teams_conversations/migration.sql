-- Teams conversation references, as the Teams adapter uses them: who a personal chat is with (name for
-- mentions, Teams user id), and which team a channel belongs to and its name (policy channels by name).
ALTER TABLE "TeamsConversation" ADD COLUMN "userId" TEXT;
ALTER TABLE "TeamsConversation" ADD COLUMN "userName" TEXT;
ALTER TABLE "TeamsConversation" ADD COLUMN "teamId" TEXT;
ALTER TABLE "TeamsConversation" ADD COLUMN "channelName" TEXT;

-- CreateIndex
CREATE INDEX "TeamsConversation_kind_channelName_idx" ON "TeamsConversation"("kind", "channelName");
