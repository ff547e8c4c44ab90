import { createServer, type Server } from "node:http";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openLane } from "../../../src/chat/slack/frontLane.js";
import type { PendingTicket } from "../../../src/chat/slack/pending.js";
import { readBody } from "../../../src/server/body.js";
import type { Lane, LaneNote } from "../../../src/server/frontDoor.js";
import { closeServer, listen } from "../../../src/server/http.js";
import {
  responseUrlAnswers as answers,
  commandBody,
  customerId,
  eventually,
  form,
  type Harness,
  sign,
  signingSecret,
  slackApi,
  slackBasics,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

/** The lane as the front door thread runs it, in front of a stand-in for the service that notes what it got. */
async function laneInFront(h: Harness) {
  const forwarded: string[] = [];
  const notes: LaneNote[] = [];
  const warnings: string[] = [];
  const lane: Lane = openLane(
    { signingSecret, vocabulary: h.policy, command: "/ticket" },
    {
      intake: h.t.store.intake,
      logger: {
        info: () => undefined,
        warn: (_f, message) => warnings.push(message),
        error: () => undefined,
      },
      note: (note) => notes.push(note),
    },
  );
  const server: Server = createServer(async (req, res) => {
    const body = (await readBody(req))!;
    if (await lane.answer(req, body, res)) return;
    forwarded.push(body.toString("utf8"));
    res.writeHead(299).end("left to the service");
  });
  const port = await listen(server, 0, "127.0.0.1");
  const post = async (body: string, options: { type?: string; timestamp?: number; secret?: string } = {}) => {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": options.type ?? form,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(body, timestamp, options.secret),
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  };
  return { post, forwarded, notes, warnings, close: () => closeServer(server) };
}

/**
 * A /ticket the lane acknowledges but the service cannot open: what the person is told through the
 * response_url, once nothing was opened and the pending row is gone.
 */
async function refusedAnswer(h: Harness, front: Awaited<ReturnType<typeof laneInFront>>): Promise<string> {
  const answered = answers();
  expect((await front.post(commandBody("high Printer on fire"))).status).toBe(200);
  h.slack.frontLane!.queued();
  await eventually(() => expect(answered).toHaveLength(1));
  expect(await h.t.store.prisma.ticket.count()).toBe(0);
  await eventually(async () => expect(await h.t.store.prisma.pendingCommand.count()).toBe(0));
  return answered[0]!.text;
}

describe("/ticket acknowledged by the front door's Slack lane", () => {
  let h: Harness;
  let front: Awaited<ReturnType<typeof laneInFront>>;
  beforeAll(async () => {
    h = await startHarness();
    front = await laneInFront(h);
  });
  afterAll(async () => {
    await front.close();
    await h.close();
  });
  afterEach(() => nock.cleanAll());

  it("says something went wrong, not that Escalator is missing, when Slack does not answer who it is", async () => {
    nock(slackApi).post("/api/auth.test").replyWithError("connect ECONNREFUSED");
    expect(await refusedAnswer(h, front)).toBe(
      "Something went wrong on Escalator's side; nothing was changed. Try again in a minute.",
    );
    nock.cleanAll();
    front.notes.length = 0;
  });

  it("writes the ticket down and acks it empty; the service opens it in the installing workspace and answers", async () => {
    slackBasics();
    const answered = answers();
    // A customer of another team, in a Slack Connect channel: the ticket is the installing workspace's.
    const res = await front.post(commandBody("high Printer on fire", { team_id: "TCUSTOMER" }));
    expect(res).toEqual({ status: 200, text: "" });
    expect(front.forwarded).toEqual([]);
    expect(front.notes).toEqual([{ kind: "queued", platform: "slack" }]);
    const [row] = await h.t.store.prisma.pendingCommand.findMany();
    const pending = row!.payload as unknown as PendingTicket;
    expect(pending.workspaceId).toBeUndefined();
    expect(pending.team).toEqual({ teamId: "TCUSTOMER", isEnterpriseInstall: false });
    expect(pending.input).toEqual({ summary: "Printer on fire", severity: "high" });

    h.slack.frontLane!.queued();
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]!.text).toMatch(/^Opened \*#1\*/);
    const ticket = await h.t.store.prisma.ticket.findFirstOrThrow();
    expect([ticket.workspaceId, ticket.summary, ticket.requesterId]).toEqual([
      workspaceId,
      "Printer on fire",
      customerId,
    ]);
    await eventually(async () => expect(await h.t.store.prisma.pendingCommand.count()).toBe(0));
  });

  it("writes a replayed request down once, and says so in the log", async () => {
    const body = commandBody("Scanner down");
    expect((await front.post(body)).status).toBe(200);
    expect((await front.post(body)).status).toBe(200);
    expect(await h.t.store.prisma.pendingCommand.count()).toBe(1);
    expect(front.warnings).toContain("replayed Slack command ignored");
    await h.t.store.prisma.pendingCommand.deleteMany();
  });

  it("leaves everything else to the service, writing nothing", async () => {
    const before = front.forwarded.length;
    const bodies = [
      commandBody("help"),
      commandBody("list"),
      commandBody(""),
      commandBody("12"),
      commandBody("assign 1 me"),
      commandBody("p1 printer down"), // not a severity here: the service says which ones are
      commandBody("Printer down", { channel_id: "D0DIRECT1" }),
      commandBody("Printer down", { command: "/oncall" }),
    ];
    for (const body of bodies) expect((await front.post(body)).status).toBe(299);
    expect((await front.post(commandBody("Printer down"), { secret: "not-the-secret" })).status).toBe(299);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await front.post(commandBody("Printer down"), { timestamp: stale })).status).toBe(299);
    const event = JSON.stringify({
      type: "event_callback",
      team_id: team,
      event_id: "Ev1",
      event: { type: "message" },
    });
    expect((await front.post(event, { type: "application/json" })).status).toBe(299);
    expect((await front.post(`payload=${encodeURIComponent("{}")}`)).status).toBe(299);
    expect(front.forwarded).toHaveLength(before + bodies.length + 4);
    expect(await h.t.store.prisma.pendingCommand.count()).toBe(0);
  });
});

describe("a /ticket the lane wrote down, from a workspace without Escalator", () => {
  let h: Harness;
  let front: Awaited<ReturnType<typeof laneInFront>>;
  beforeAll(async () => {
    // No SLACK_BOT_TOKEN and no installation: nothing to resolve the team to.
    h = await startHarness({ SLACK_BOT_TOKEN: "" });
    front = await laneInFront(h);
  });
  afterAll(async () => {
    await front.close();
    await h.close();
  });

  it("opens nothing and tells the person why", async () => {
    expect(await refusedAnswer(h, front)).toBe(
      "Escalator is not installed in this Slack workspace, so nothing was opened. Ask a workspace admin to install it.",
    );
  });
});
