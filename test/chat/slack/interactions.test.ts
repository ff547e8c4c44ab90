import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  channel,
  customerId,
  eventually,
  form,
  groupAgentId,
  type Harness,
  jsonField,
  payloadBody,
  postSigned,
  sign,
  slackApi,
  slackBasics,
  startHarness,
  team,
  slackUser as user,
  viewSubmission,
  workspaceId,
} from "./harness.js";

/** A block_actions payload as Slack sends it for a button on a message (docs: block_actions payload). */
function click(
  actionId: string,
  value: string,
  userId: string,
  actionTs: string,
  messageTs = "1700000000.000100",
) {
  return {
    type: "block_actions",
    user: user(userId),
    api_app_id: "A0APP",
    token: "XXYYZZ",
    container: { type: "message", message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `1234.5678.${actionTs}`,
    team: { id: team, domain: "acme" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "support" },
    message: { type: "message", ts: messageTs, text: "card", user: "UBOT0001" },
    response_url: `${slackApi}/actions/${team}/1/xyz`,
    state: { values: {} },
    actions: [
      {
        action_id: actionId,
        block_id: `ticket:${value}`,
        text: { type: "plain_text", text: "Acknowledge", emoji: true },
        value,
        type: "button",
        action_ts: actionTs,
      },
    ],
  };
}

/** The body of the next call of a Web API method, once it has come. */
function captured(method: string): { body?: Record<string, string> } {
  const seen: { body?: Record<string, string> } = {};
  nock(slackApi)
    .post(`/api/${method}`, (b) => {
      seen.body = b;
      return true;
    })
    .reply(200, { ok: true });
  return seen;
}

const text = (value: string) => ({ value: { type: "plain_text_input", value } });
const choice = (value: string) => ({ value: { type: "static_select", selected_option: { value } } });

describe("the message shortcut, card buttons and forms over HTTP", () => {
  let h: Harness;
  let ticketId: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  afterEach(() => nock.cleanAll());

  it("refuses unsigned interactivity (stale and bad signatures) with 401", async () => {
    const body = payloadBody(click("ticket_acknowledge", "x", agentId, "1.1"));
    const stale = Math.floor(Date.now() / 1000) - 301 - 60;
    expect((await postSigned(h, body, form, { timestamp: stale, signature: sign(body, stale) })).status).toBe(
      401,
    );
    expect((await postSigned(h, body, form, { signature: "v0=00" })).status).toBe(401);
    const view = payloadBody(viewSubmission("ticket_create", "V0", customerId, { channelId: channel }, {}));
    expect((await postSigned(h, view, form, { signature: "v0=00" })).status).toBe(401);
  });

  it("opens a prefilled form from a message, then opens the ticket linked to that message", async () => {
    slackBasics();
    let opened: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/views.open", (b) => {
        opened = b;
        return true;
      })
      .reply(200, { ok: true });
    const shortcut = {
      type: "message_action",
      callback_id: "create_ticket_from_message",
      trigger_id: "13345224609.738474920.8088930838d88f008e0",
      action_ts: "1700000100.000000",
      message_ts: "1699999000.000200",
      response_url: `${slackApi}/app/${team}/1/short`,
      team: { id: team, domain: "acme" },
      channel: { id: channel, name: "support" },
      user: { id: customerId, name: "carol" },
      token: "Nj2rfC2hU8mAfgaJLemZgO7H",
      message: {
        type: "message",
        user: customerId,
        ts: "1699999000.000200",
        text: "Export to <https://acme.example/x|PDF> fails &amp; hangs\nsince this morning, error E42",
      },
    };
    expect((await postSigned(h, payloadBody(shortcut), form)).status).toBe(200);
    await eventually(() => expect(opened).toBeDefined());
    const view = jsonField<{
      private_metadata: string;
      blocks: { block_id: string; element: { initial_value?: string } }[];
    }>(opened!, "view");
    // Read once as plain words: entities decoded, a link keeps its destination in sight.
    expect(view.blocks[0]?.element.initial_value).toBe(
      "Export to PDF (https://acme.example/x) fails & hangs",
    );
    expect(view.blocks[1]?.element.initial_value).toContain("error E42");
    const meta = JSON.parse(view.private_metadata);
    expect(meta).toEqual({
      channelId: channel,
      origin: { channelId: channel, messageId: "1699999000.000200", threadId: "1699999000.000200" },
    });

    const told: Record<string, string>[] = [];
    nock(slackApi)
      .post("/api/chat.getPermalink")
      .reply(200, { ok: true, permalink: "https://acme.slack.com/archives/C0SUPPORT1/p1699999000000200" })
      .post("/api/chat.postEphemeral", (b) => told.push(b) > 0)
      .reply(200, { ok: true });
    const submitted = viewSubmission("ticket_create", "V1", customerId, meta, {
      summary: text("Export to PDF fails"),
      description: text("error E42"),
      severity: choice("urgent"),
      channel: choice("chat"),
      category: choice("issue"),
    });
    const res = await postSigned(h, payloadBody(submitted), form);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await eventually(() => expect(told).toHaveLength(1));
    expect(told[0]).toMatchObject({ channel, user: customerId });
    expect(told[0]?.text).toMatch(/^Opened \*#1\* \(Urgent\)/);
    const ticket = await h.tickets.view({ workspaceId, number: 1 });
    ticketId = ticket.id;
    expect(ticket).toMatchObject({ severity: "urgent", channel: "chat", category: "issue" });
    const origin = await h.t.store.prisma.chatLink.findFirstOrThrow({ where: { ticketId, kind: "origin" } });
    expect(origin).toMatchObject({ messageId: "1699999000.000200", threadId: "1699999000.000200" });
    expect(origin.permalink).toContain("p1699999000000200");
  });

  it("keeps the form open with the problem when the summary is blank", async () => {
    slackBasics();
    const submitted = viewSubmission(
      "ticket_create",
      "V2",
      customerId,
      { channelId: channel },
      {
        summary: text("   "),
        severity: choice("low"),
        channel: choice("email"),
        category: choice("issue"),
      },
    );
    const res = await postSigned(h, payloadBody(submitted), form);
    expect(JSON.parse(res.text)).toMatchObject({
      response_action: "errors",
      errors: { summary: expect.stringMatching(/needs a summary/) },
    });
  });

  it("records one acknowledgement for a double-clicked button", async () => {
    slackBasics();
    const told: unknown[] = [];
    nock(slackApi)
      .persist()
      .post(`/actions/${team}/1/xyz`, (b) => told.push(b) > 0)
      .reply(200, "ok");
    const first = postSigned(
      h,
      payloadBody(click("ticket_acknowledge", ticketId, agentId, "1700000200.000001")),
      form,
    );
    const second = postSigned(
      h,
      payloadBody(click("ticket_acknowledge", ticketId, agentId, "1700000200.000002")),
      form,
    );
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    await eventually(async () =>
      expect(await h.t.store.prisma.ticketEvent.count({ where: { ticketId, type: "acknowledged" } })).toBe(1),
    );
    await new Promise((r) => setTimeout(r, 200));
    const changes = { ticketId, type: { in: ["acknowledged", "assigned"] } };
    expect(await h.t.store.prisma.ticketEvent.count({ where: changes })).toBe(1);
    expect((await h.tickets.view({ ticketId })).assigneeId).toBe(agentId);
    // The second click was not even answered ("already yours"): it did nothing at all.
    expect(told).toEqual([]);
  });

  it("tells a customer ephemerally that only agents can press agent buttons", async () => {
    slackBasics();
    const told: { text: string; response_type: string }[] = [];
    nock(slackApi)
      .post(`/actions/${team}/1/xyz`, (b) => told.push(b) > 0)
      .reply(200, "ok");
    await postSigned(h, payloadBody(click("ticket_wait", ticketId, customerId, "1700000300.000001")), form);
    await eventually(() => expect(told).toHaveLength(1));
    expect(told[0]).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringMatching(/only the support team can set a ticket to waiting on the customer/),
    });
    expect((await h.tickets.view({ ticketId })).status).toBe("open");
  });

  it("lets a user-group agent change the severity through its form, with a reason", async () => {
    slackBasics();
    let opened: Record<string, string> | undefined;
    nock(slackApi)
      .post("/api/views.open", (b) => {
        opened = b;
        return true;
      })
      .reply(200, { ok: true });
    await postSigned(
      h,
      payloadBody(click("ticket_severity", ticketId, groupAgentId, "1700000400.000001")),
      form,
    );
    await eventually(() => expect(opened).toBeDefined());
    const view = jsonField<{ callback_id: string; private_metadata: string }>(opened!, "view");
    expect(view.callback_id).toBe("ticket_severity");
    const submitted = viewSubmission(
      "ticket_severity",
      "V3",
      groupAgentId,
      JSON.parse(view.private_metadata),
      {
        severity: choice("critical"),
        why: text("Agreed with the customer: nobody can export"),
      },
    );
    expect((await postSigned(h, payloadBody(submitted), form)).status).toBe(200);
    await eventually(async () => expect((await h.tickets.view({ ticketId })).severity).toBe("critical"));
    const event = await h.t.store.prisma.ticketEvent.findFirstOrThrow({
      where: { ticketId, type: "severityChanged" },
    });
    expect(event.payload).toMatchObject({
      from: "urgent",
      to: "critical",
      why: "Agreed with the customer: nobody can export",
    });
  });

  it("resolves with a reason from the form, and the requester may reopen", async () => {
    slackBasics();
    nock(slackApi).post("/api/views.open").reply(200, { ok: true });
    await postSigned(h, payloadBody(click("ticket_resolve", ticketId, agentId, "1700000500.000001")), form);
    const submitted = viewSubmission(
      "ticket_resolve",
      "V4",
      agentId,
      { ticketId, channelId: channel },
      {
        reason: choice("third-party"),
        note: text("Upstream PDF library bug"),
      },
    );
    await postSigned(h, payloadBody(submitted), form);
    await eventually(async () => expect((await h.tickets.view({ ticketId })).status).toBe("resolved"));
    await postSigned(h, payloadBody(click("ticket_reopen", ticketId, customerId, "1700000600.000001")), form);
    await eventually(async () => expect((await h.tickets.view({ ticketId })).status).toBe("open"));
  });

  it("acknowledges a page from its DM: records it and replaces the DM's button", async () => {
    slackBasics();
    const update = captured("chat.update");
    const page = click("page_acknowledge", ticketId, groupAgentId, "1700000700.000001", "1700000650.000300");
    page.container.channel_id = "D0PAGED01";
    page.channel = { id: "D0PAGED01", name: "directmessage" };
    await postSigned(h, payloadBody(page), form);
    await eventually(() => expect(update.body).toBeDefined());
    expect(update.body).toMatchObject({ channel: "D0PAGED01", ts: "1700000650.000300" });
    expect(update.body?.blocks).toContain("You acknowledged");
    const acks = await h.t.store.prisma.ticketEvent.findMany({ where: { ticketId, type: "acknowledged" } });
    expect(acks.map((a) => a.actorId)).toContain(groupAgentId);
  });

  it("acknowledges one page of several sent as one message: records it, and only its row changes", async () => {
    slackBasics();
    const update = captured("chat.update");
    const row = (id: string, n: number) => ({
      type: "section",
      block_id: `bundle:${id}:${n}`,
      text: { type: "mrkdwn", text: `*#${n}* page` },
      accessory: {
        type: "button",
        action_id: "page_acknowledge",
        value: id,
        text: { type: "plain_text", text: "Acknowledge" },
      },
    });
    const page = click("page_acknowledge", ticketId, agentId, "1700000800.000001", "1700000750.000300");
    page.container.channel_id = "D0PAGED01";
    page.channel = { id: "D0PAGED01", name: "directmessage" };
    page.actions[0]!.block_id = `bundle:${ticketId}:1`;
    Object.assign(page.message, {
      text: "You are paged for 2 tickets: #7, #1",
      blocks: [row("other-ticket", 0), row(ticketId, 1)],
    });
    const acked = () => h.t.store.prisma.ticketEvent.count({ where: { ticketId, type: "acknowledged" } });
    const before = await acked();
    await postSigned(h, payloadBody(page), form);
    await eventually(() => expect(update.body).toBeDefined());
    expect(await acked()).toBe(before + 1);
    const blocks = JSON.parse(update.body!.blocks!) as {
      block_id: string;
      accessory?: unknown;
      text: { text: string };
    }[];
    expect(blocks.map((b) => b.block_id)).toEqual(["bundle:other-ticket:0", `bundle:${ticketId}:1`]);
    expect(blocks[0]!.accessory).toBeDefined(); // the other page keeps its button
    expect(blocks[1]!.text.text).toContain(`acknowledged by <@${agentId}>`);
  });
});
