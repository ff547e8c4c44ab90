import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agentId,
  channel,
  customerId,
  eventBody,
  eventually,
  form,
  type Harness,
  jsonField,
  payloadBody,
  postSigned,
  slackApi,
  slackBasics,
  startHarness,
  team,
} from "./harness.js";

const messageTs = "1700000300.000100";
const json = "application/json";

describe("more ways in: a 🎫 reaction, the global shortcut, @Escalator help", () => {
  let h: Harness;
  const told: { user: string; text: string }[] = [];
  const opened: Record<string, string>[] = [];
  beforeAll(async () => {
    h = await startHarness();
    slackBasics();
    nock(slackApi)
      .persist()
      .post("/api/conversations.replies")
      .reply(200, {
        ok: true,
        messages: [
          {
            type: "message",
            user: customerId,
            ts: messageTs,
            text: "Invoices &lt;b&gt;fail&lt;/b&gt; to export\nsince 9:00",
          },
        ],
      })
      .post("/api/chat.getPermalink")
      .reply(200, { ok: true, permalink: "https://acme.slack.com/archives/C0SUPPORT1/p1700000300000100" })
      .post("/api/chat.postEphemeral", (b) => told.push({ user: b.user, text: b.text }) > 0)
      .reply(200, { ok: true })
      .post("/api/views.open", (b) => opened.push(b) > 0)
      .reply(200, { ok: true });
  });
  afterAll(() => h.close());

  const react = (reaction: string, user: string, eventId: string) =>
    postSigned(
      h,
      eventBody(
        {
          type: "reaction_added",
          user,
          reaction,
          item: { type: "message", channel, ts: messageTs },
          item_user: customerId,
          event_ts: "1700000400.000100",
        },
        eventId,
      ),
      json,
    );

  it("opens exactly one ticket from a message reacted to with 🎫, even when Slack retries or two people react", async () => {
    expect((await react("ticket", agentId, "Ev0001")).status).toBe(200);
    await eventually(() => expect(told).toHaveLength(1));
    await react("ticket", agentId, "Ev0001"); // Slack's retry: the same event id
    await react("ticket", customerId, "Ev0002"); // someone else reacts too
    await eventually(() => expect(told).toHaveLength(2));
    expect(told[0]).toEqual({
      user: agentId,
      text: "Opened *#1* (Normal) from that message. Its card is posted in this channel.",
    });
    // Stored plain, escaped where shown.
    expect(told[1]?.text).toBe(
      "That message already has ticket *#1*: Invoices &lt;b&gt;fail&lt;/b&gt; to export.",
    );
    const tickets = await h.t.store.prisma.ticket.findMany();
    expect(tickets.map((t) => [t.summary, t.description, t.homeChannelId])).toEqual([
      ["Invoices <b>fail</b> to export", "Invoices <b>fail</b> to export\nsince 9:00", channel],
    ]);
    await react("thumbsup", agentId, "Ev0003"); // any other reaction does nothing
    expect(await h.t.store.prisma.ticket.count()).toBe(1);
  });

  it("opens the form from the global shortcut with a channel to post in; a retried submission makes one ticket", async () => {
    const shortcut = {
      type: "shortcut",
      callback_id: "new_ticket",
      trigger_id: "13345224609.738474920.global",
      action_ts: "1700000500.000000",
      team: { id: team, domain: "acme" },
      user: { id: agentId, username: "alice", team_id: team },
      token: "Nj2rfC2hU8mAfgaJLemZgO7H",
      is_enterprise_install: false,
    };
    expect((await postSigned(h, payloadBody(shortcut), form)).status).toBe(200);
    await eventually(() => expect(opened).toHaveLength(1));
    const view = jsonField<{ private_metadata: string; blocks: { block_id: string }[] }>(opened[0]!, "view");
    expect(view.blocks[0]?.block_id).toBe("home");
    const submitted = {
      type: "view_submission",
      team: { id: team, domain: "acme" },
      user: { id: agentId, username: "alice", name: "alice", team_id: team },
      api_app_id: "A0APP",
      token: "XXYYZZ",
      trigger_id: "12345.98765.global",
      view: {
        id: "VGLOBAL1",
        team_id: team,
        type: "modal",
        callback_id: "ticket_create",
        private_metadata: view.private_metadata,
        state: {
          values: {
            home: { value: { type: "conversations_select", selected_conversation: "C0OTHER01" } },
            summary: { value: { type: "plain_text_input", value: "VPN drops every hour" } },
          },
        },
        title: { type: "plain_text", text: "New ticket" },
        blocks: [],
      },
      response_urls: [],
      is_enterprise_install: false,
    };
    await postSigned(h, payloadBody(submitted), form);
    await postSigned(h, payloadBody(submitted), form); // Slack retries the submission
    await eventually(() => expect(told.filter((t) => t.text.includes("#2"))).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(told.filter((t) => t.text.includes("#2"))).toHaveLength(1); // and is answered once
    const made = await h.t.store.prisma.ticket.findMany({ where: { summary: "VPN drops every hour" } });
    expect(made.map((t) => t.homeChannelId)).toEqual(["C0OTHER01"]);
  });

  it("answers @Escalator help to the one who asked, and says what it can do otherwise", async () => {
    const mention = (text: string, id: string) =>
      postSigned(
        h,
        eventBody({ type: "app_mention", user: customerId, text, ts: "1700000600.000100", channel }, id),
        json,
      );
    await mention("<@UBOT0001> help", "Ev0010");
    await eventually(() =>
      expect(told.at(-1)?.text).toContain("*/ticket* — open and follow support tickets"),
    );
    expect(told.at(-1)?.user).toBe(customerId);
    await mention("<@UBOT0001> what's up", "Ev0011");
    await eventually(() => expect(told.at(-1)?.text).toContain("I answer `@Escalator help` here"));
  });
});
