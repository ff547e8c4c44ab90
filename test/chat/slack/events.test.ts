import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  botUserId,
  channel,
  customerId,
  eventBody,
  eventually,
  type Harness,
  jsonField,
  postSigned,
  sign,
  slackApi,
  slackBasics,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

const json = "application/json";
const rootTs = "1700000000.000100";

/** A reply in a thread, shaped like Slack's `message` event (docs: message.channels). */
function reply(user: string, ts: string, text: string, extra: object = {}) {
  return {
    type: "message",
    channel,
    user,
    text,
    ts,
    thread_ts: rootTs,
    event_ts: ts,
    channel_type: "channel",
    ...extra,
  };
}

describe("Slack events over HTTP", () => {
  let h: Harness;
  let ticketId: string;
  beforeAll(async () => {
    h = await startHarness();
    const created = await h.tickets.create(
      { id: customerId, platform: "slack", workspaceId, isAgent: false },
      {
        summary: "Printer down",
        severity: "high",
        home: { platform: "slack", workspaceId, channelId: channel },
      },
    );
    ticketId = created.ticket.id;
    await h.t.store.prisma.chatLink.create({
      data: {
        ticketId,
        platform: "slack",
        kind: "root",
        workspaceId,
        channelId: channel,
        messageId: rootTs,
        threadId: rootTs,
      },
    });
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  it("refuses events with a stale timestamp or a bad signature", async () => {
    const body = eventBody(reply(agentId, "1700000001.000100", "hello"), "Ev0BAD");
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect((await postSigned(h, body, json, { timestamp: stale, signature: sign(body, stale) })).status).toBe(
      401,
    );
    expect(
      (await postSigned(h, body, json, { signature: sign(body, Math.floor(Date.now() / 1000), "nope") }))
        .status,
    ).toBe(401);
  });

  it("answers Slack's url_verification challenge", async () => {
    const body = JSON.stringify({
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const res = await postSigned(h, body, json);
    expect(JSON.parse(res.text)).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
  });

  it("ignores bot messages, the bot's own replies and top-level messages", async () => {
    slackBasics();
    await postSigned(h, eventBody(reply(botUserId, "1700000002.000100", "I am the bot"), "Ev01"), json);
    await postSigned(
      h,
      eventBody(reply("UOTHERBOT", "1700000003.000100", "beep", { bot_id: "B0OTHER" }), "Ev02"),
      json,
    );
    await postSigned(
      h,
      eventBody({ ...reply(agentId, "1700000004.000100", "new topic"), thread_ts: undefined }, "Ev03"),
      json,
    );
    await postSigned(
      h,
      eventBody(reply(agentId, "1700000005.000100", "edited", { subtype: "message_changed" }), "Ev04"),
      json,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.t.store.prisma.ticketEvent.count({ where: { ticketId, type: "comment" } })).toBe(0);
  });

  it("records an agent's thread reply as a comment that meets the first response, once despite Slack's retry", async () => {
    slackBasics();
    const body = eventBody(reply(agentId, "1700000010.000100", "Looking at it now"), "Ev0AGENT");
    expect((await postSigned(h, body, json)).status).toBe(200);
    expect(
      (
        await postSigned(h, body, json, {
          headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
        })
      ).status,
    ).toBe(200);
    await eventually(async () => expect((await h.tickets.view({ ticketId })).status).toBe("responded"));
    await new Promise((r) => setTimeout(r, 200));
    const comments = await h.t.store.prisma.ticketEvent.findMany({ where: { ticketId, type: "comment" } });
    expect(comments).toHaveLength(1);
    expect(await h.t.store.prisma.inboundEvent.count({ where: { id: "slack:Ev0AGENT" } })).toBe(1);
    expect(comments[0]?.payload).toMatchObject({
      author: "agent",
      visibility: "public",
      text: "Looking at it now",
    });
    const view = await h.tickets.view({ ticketId });
    expect(view.targets.find((t) => t.name === "firstResponse")?.state).toBe("met");
  });

  it("resumes a ticket waiting on the customer when the customer replies in the thread", async () => {
    slackBasics();
    await h.tickets.record(
      { ticketId },
      { id: agentId, platform: "slack", workspaceId, isAgent: true },
      { type: "waitingOnCustomer" },
    );
    await postSigned(
      h,
      eventBody(reply(customerId, "1700000020.000100", "Here are the logs"), "Ev0CUST"),
      "application/json",
    );
    await eventually(async () => expect((await h.tickets.view({ ticketId })).status).toBe("responded"));
    const last = await h.t.store.prisma.ticketEvent.findFirstOrThrow({
      where: { ticketId },
      orderBy: { seq: "desc" },
    });
    expect(last.payload).toMatchObject({ type: "comment", author: "customer" });
  });

  it("publishes App Home with my tickets, the queue for agents and who is on call", async () => {
    slackBasics();
    let published: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/views.publish", (b) => {
        published = b;
        return true;
      })
      .reply(200, { ok: true });
    const event = {
      type: "app_home_opened",
      user: agentId,
      channel: "D0HOME",
      tab: "home",
      event_ts: "1700000030.000100",
    };
    await postSigned(h, eventBody(event, "Ev0HOME"), json);
    await eventually(() => expect(published).toBeDefined());
    expect(published?.user_id).toBe(agentId);
    const view = jsonField<{ type: string; blocks: { text?: { text: string } }[] }>(published!, "view");
    expect(view.type).toBe("home");
    const texts = view.blocks.map((b) => b.text?.text ?? "");
    expect(texts).toContain("Team queue · soonest breach first");
    expect(texts.some((t) => t.includes("*#1* Printer down"))).toBe(true);
    expect(texts).toContain("_No on-call schedule is configured._");
  });

  it("deletes the workspace's installation on app_uninstalled", async () => {
    await h.t.store.prisma.slackInstallation.create({
      data: { key: team, teamId: team, installation: { team: { id: team }, bot: { token: "xoxb-old" } } },
    });
    const event = { type: "app_uninstalled", event_ts: "1700000040.000100" };
    await postSigned(h, eventBody(event, "Ev0GONE"), json);
    await eventually(async () => expect(await h.t.store.prisma.slackInstallation.count()).toBe(0));
  });
});
