import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PermanentSendError, RetryableSendError, type TicketView } from "../../../src/chat/port.js";
import {
  channel,
  type Harness,
  jsonField,
  slackApi,
  slackBasics,
  startHarness,
  workspaceId,
} from "./harness.js";

const ticket: TicketView = {
  id: "00000000-0000-4000-8000-000000000001",
  workspaceId,
  number: 7,
  summary: "Export fails",
  severity: "high",
  severityLabel: "High",
  channel: "email",
  plan: "standard",
  category: "issue",
  status: "open",
  requesterId: "UCUST01",
  assigneeId: null,
  openedAt: "2026-11-17T10:00:00.000-07:00",
  zone: "America/Denver",
  targets: [
    {
      name: "firstResponse",
      label: "First response",
      due: "2026-11-20T10:00:00.000-07:00",
      state: "pending",
    },
  ],
};

describe("the Slack port (outgoing messages)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ SLACK_CHANNEL_MAP: "legal-escalations=C0LEGAL01" });
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  const card = { type: "ticketCard" as const, ticket };

  it("turns a 429 from chat.postMessage into a RetryableSendError with the retry-after", async () => {
    slackBasics();
    nock(slackApi)
      .post("/api/chat.postMessage")
      .reply(429, { ok: false, error: "ratelimited" }, { "retry-after": "7" });
    const sent = h.slack.port.send({
      key: "k1",
      destination: { platform: "slack", workspaceId, channelId: channel },
      body: card,
    });
    await expect(sent).rejects.toBeInstanceOf(RetryableSendError);
    await expect(sent).rejects.toMatchObject({ retryAfterMs: 7000 });
  });

  it("retries 5xx and network failures, and gives up on channel_not_found and not_in_channel", async () => {
    slackBasics();
    const destination = { platform: "slack" as const, workspaceId, channelId: channel };
    nock(slackApi).post("/api/chat.postMessage").reply(503, "busy");
    await expect(h.slack.port.send({ key: "k2", destination, body: card })).rejects.toBeInstanceOf(
      RetryableSendError,
    );
    nock(slackApi).post("/api/chat.postMessage").replyWithError("socket hang up");
    await expect(h.slack.port.send({ key: "k3", destination, body: card })).rejects.toBeInstanceOf(
      RetryableSendError,
    );
    for (const error of ["channel_not_found", "not_in_channel"]) {
      nock(slackApi).post("/api/chat.postMessage").reply(200, { ok: false, error });
      await expect(h.slack.port.send({ key: "k4", destination, body: card })).rejects.toBeInstanceOf(
        PermanentSendError,
      );
    }
  });

  it("edits the card in place with chat.update and threads notes under it", async () => {
    slackBasics();
    const calls: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/chat.update", (b) => calls.push(b) > 0)
      .reply(200, { ok: true, channel, ts: "1.1" })
      .post("/api/chat.postMessage", (b) => calls.push(b) > 0)
      .reply(200, { ok: true, channel, ts: "1.2" });
    const root = { channelId: channel, messageId: "1.1" };
    expect(
      await h.slack.port.send({
        key: "k5",
        destination: { platform: "slack", workspaceId },
        body: card,
        edit: root,
      }),
    ).toEqual(root);
    await h.slack.port.send({
      key: "k6",
      destination: { platform: "slack", workspaceId, thread: "ticket" },
      body: { type: "threadNote", ticket, text: "⚠️ First response due soon" },
      thread: root,
    });
    expect(calls[0]).toMatchObject({ channel, ts: "1.1" });
    expect(calls[1]).toMatchObject({ channel, thread_ts: "1.1", text: "⚠️ First response due soon" });
  });

  it("posts escalations to policy channels by name (configured map, then conversations.list) linking to the thread", async () => {
    slackBasics();
    await h.t.store.prisma.ticket.create({
      data: {
        id: ticket.id,
        workspaceId,
        number: 7,
        policyId: "support-guidelines",
        summary: "Export fails",
        severity: "high",
        channel: "email",
        requesterId: "UCUST01",
        homePlatform: "slack",
        homeChannelId: channel,
        openedAt: new Date(),
      },
    });
    await h.t.store.prisma.chatLink.create({
      data: {
        ticketId: ticket.id,
        platform: "slack",
        kind: "root",
        workspaceId,
        channelId: channel,
        messageId: "1.1",
        permalink: "https://acme.slack.com/archives/C0SUPPORT1/p11",
      },
    });
    const posted: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/conversations.list")
      .reply(200, {
        ok: true,
        channels: [{ id: "C0ESC0001", name: "support-escalations" }],
        response_metadata: { next_cursor: "" },
      })
      .post("/api/chat.postMessage", (b) => posted.push(b) > 0)
      .times(2)
      .reply(200, { ok: true, channel: "C0X", ts: "2.1" });
    const escalation = {
      type: "escalation" as const,
      ticket,
      title: "#7 escalated: legal",
      text: "High · Export fails",
    };
    await h.slack.port.send({
      key: "k8",
      destination: { platform: "slack", workspaceId, channelName: "#legal-escalations" },
      body: escalation,
    });
    await h.slack.port.send({
      key: "k9",
      destination: { platform: "slack", workspaceId, channelName: "#support-escalations" },
      body: escalation,
    });
    expect(posted.map((p) => p.channel)).toEqual(["C0LEGAL01", "C0ESC0001"]);
    expect(posted[0]?.blocks).toContain(
      "https://acme.slack.com/archives/C0SUPPORT1/p11|Open the ticket's thread",
    );

    nock(slackApi).post("/api/conversations.list").reply(200, { ok: true, channels: [] });
    await expect(
      h.slack.port.send({
        key: "k10",
        destination: { platform: "slack", workspaceId, channelName: "#nowhere" },
        body: escalation,
      }),
    ).rejects.toBeInstanceOf(PermanentSendError);
  });

  it("pages on-call by direct message with an Acknowledge button", async () => {
    slackBasics();
    let posted: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/conversations.open", { users: "UONCALL1" })
      .reply(200, { ok: true, channel: { id: "D0ONCALL1" } })
      .post("/api/chat.postMessage", (b) => {
        posted = b;
        return true;
      })
      .reply(200, { ok: true, channel: "D0ONCALL1", ts: "3.1" });
    const delivered = await h.slack.port.send({
      key: "k11",
      destination: { platform: "slack", workspaceId, userId: "UONCALL1" },
      body: { type: "page", ticket, level: 1, reason: "on call for wes-it" },
    });
    expect(delivered).toEqual({ channelId: "D0ONCALL1", messageId: "3.1" });
    expect(posted?.channel).toBe("D0ONCALL1");
    const blocks = jsonField<{ type: string; elements?: { action_id: string; value: string }[] }[]>(
      posted!,
      "blocks",
    );
    expect(blocks.at(-1)?.elements?.[0]).toMatchObject({ action_id: "page_acknowledge", value: ticket.id });
  });

  it("sends into an installed workspace with that workspace's own token", async () => {
    await h.t.store.prisma.slackInstallation.create({
      data: {
        key: "T0OTHER01",
        teamId: "T0OTHER01",
        installation: { team: { id: "T0OTHER01" }, bot: { token: "xoxb-other", userId: "UB2", id: "B2" } },
      },
    });
    nock(slackApi, { reqheaders: { authorization: "Bearer xoxb-other" } })
      .post("/api/chat.postMessage")
      .reply(200, { ok: true, channel: "C0OTHER01", ts: "4.1" });
    const delivered = await h.slack.port.send({
      key: "k12",
      destination: { platform: "slack", workspaceId: "slack:T0OTHER01", channelId: "C0OTHER01" },
      body: { type: "notice", text: "hello" },
    });
    expect(delivered.messageId).toBe("4.1");
  });
});
