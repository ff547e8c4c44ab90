import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  channel,
  commandBody,
  customerId,
  eventually,
  form,
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

describe("/ticket over HTTP", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  it("refuses a stale timestamp and a bad signature with 401, and does nothing", async () => {
    const body = commandBody("high printer down");
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSigned(h, body, form, { timestamp: stale, signature: sign(body, stale) })).status).toBe(
      401,
    );
    expect(
      (await postSigned(h, body, form, { signature: sign(body, Math.floor(Date.now() / 1000), "wrong") }))
        .status,
    ).toBe(401);
    expect(await h.t.store.prisma.ticket.count()).toBe(0);
  });

  it("opens a ticket from inline text, answers ephemerally with its number, and posts the card as the thread root", async () => {
    slackBasics();
    const answered: unknown[] = [];
    nock(slackApi)
      .post(`/commands/${team}/1/abc`, (b) => answered.push(b) > 0)
      .reply(200, "ok");
    const res = await postSigned(h, commandBody("high printer down"), form);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]).toMatchObject({ response_type: "ephemeral" });
    expect((answered[0] as { text: string }).text).toMatch(/^Opened \*#1\* \(High\): printer down\./);

    const ticket = await h.tickets.view({ workspaceId, number: 1 });
    expect(ticket).toMatchObject({ severity: "high", requesterId: customerId, status: "open" });

    const sent: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/chat.postMessage", (b) => sent.push(b) > 0)
      .times(2)
      .reply(200, { ok: true, channel, ts: "1700000000.000100" })
      .post("/api/chat.getPermalink")
      .reply(200, { ok: true, permalink: "https://acme.slack.com/archives/C0SUPPORT1/p1700000000000100" });
    // The card, then in its thread the customer's status line (the policy's default wording).
    expect(await h.dispatch()).toEqual({ sent: 2, retried: 0, failed: 0 });
    const posted = sent[0];
    expect(sent).toContainEqual(
      expect.objectContaining({
        thread_ts: "1700000000.000100",
        text: "ℹ️ We received your request (#1). Someone from support will answer here.",
      }),
    );
    expect(posted?.channel).toBe(channel);
    expect(posted?.thread_ts).toBeUndefined();
    const blocks = jsonField<{ type: string; text?: { text: string }; elements?: { action_id: string }[] }[]>(
      posted!,
      "blocks",
    );
    expect(blocks[0]).toMatchObject({ type: "header", text: { text: "#1 · printer down" } });
    expect(blocks.at(-1)?.elements?.map((e) => e.action_id)).toEqual([
      "ticket_acknowledge",
      "ticket_severity",
      "ticket_wait",
      "ticket_resolve",
    ]);
    expect(JSON.stringify(blocks)).toContain("First response");
    const root = await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { kind: "root" } });
    expect(root).toMatchObject({ channelId: channel, messageId: "1700000000.000100" });
    expect(root.permalink).toContain("p1700000000000100");
  });

  it("answers a summary it cannot take with what is valid, ephemerally", async () => {
    slackBasics();
    const answered: { text: string }[] = [];
    nock(slackApi)
      .post(`/commands/${team}/1/abc`, (b) => answered.push(b) > 0)
      .reply(200, "ok");
    await postSigned(h, commandBody("x".repeat(250)), form);
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]?.text).toMatch(/keep it under 200/);
  });

  it("shows help inline in the ack, lists my tickets, and refuses to show someone else's ticket", async () => {
    slackBasics();
    const help = await postSigned(h, commandBody("help"), form);
    expect(JSON.parse(help.text)).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.parse(help.text).text).toContain("Severities: critical, urgent, high, normal, low");

    const answered: { text: string; blocks?: unknown[] }[] = [];
    nock(slackApi)
      .persist()
      .post(`/commands/${team}/1/abc`, (b) => answered.push(b) > 0)
      .reply(200, "ok");
    await postSigned(h, commandBody("list"), form);
    await eventually(() => expect(answered).toHaveLength(1));
    expect(answered[0]?.text).toContain("*#1* printer down");

    await postSigned(h, commandBody("1", { user_id: "USTRANGER" }), form);
    await eventually(() => expect(answered).toHaveLength(2));
    expect(answered[1]?.text).toMatch(
      /only its requester, their colleagues and the support team can see this ticket/,
    );

    await postSigned(h, commandBody("#1", { user_id: agentId }), form);
    await eventually(() => expect(answered).toHaveLength(3));
    expect(answered[2]?.blocks?.length).toBeGreaterThan(2);
  });

  it("opens the form for /ticket alone, with the policy's severities", async () => {
    slackBasics();
    let opened: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/views.open", (b) => {
        opened = b;
        return true;
      })
      .reply(200, { ok: true, view: { id: "V1" } });
    const body = commandBody("");
    expect((await postSigned(h, body, form)).status).toBe(200);
    await eventually(() => expect(opened).toBeDefined());
    expect(opened?.trigger_id).toBe(new URLSearchParams(body).get("trigger_id"));
    const view = jsonField<{ callback_id: string; private_metadata: string; blocks: { block_id: string }[] }>(
      opened!,
      "view",
    );
    expect(view.callback_id).toBe("ticket_create");
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: channel });
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      "summary",
      "description",
      "severity",
      "channel",
      "category",
    ]);
  });
});
