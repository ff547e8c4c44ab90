-- Round-robin assignment (issue 16): whose turn it is lives in the database, so every replica and every
-- restart sees the same order. The agent whose last turn is oldest (lastTurn counts up per pool; 0 = never) is next.
-- CreateTable
CREATE TABLE "RoundRobinTurn" (
    "pool" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "lastTurn" INTEGER NOT NULL DEFAULT 0,
    "assigned" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RoundRobinTurn_pkey" PRIMARY KEY ("pool","agentId")
);

-- An agent who is out (holiday, off shift) is skipped until they are back.
-- CreateTable
CREATE TABLE "AgentAway" (
    "workspaceId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AgentAway_pkey" PRIMARY KEY ("workspaceId","agentId")
);
