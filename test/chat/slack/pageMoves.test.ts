import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageBody } from "../../../src/chat/port.js";
import { renderMessage } from "../../../src/chat/slack/render.js";
import { runTick } from "../../../src/scheduler/tick.js";
import { eastern, openDirectory } from "../../paging/support.js";
import { silentLogger } from "../../support/fakes.js";
import { recipientsFrom } from "../../support/oncall.js";
import {
  channel,
  customerId,
  eventually,
  form,
  type Harness,
  jsonField,
  payloadBody,
  postSigned,
  slackApi,
  slackBasics,
  slackUser,
  startHarness,
  team,
  viewSubmission,
  workspaceId,
} from "./harness.js";

// WES after hours: chen is on call (level 1), the IT manager is level 2 after 15 minutes, the VP level 3.
const slackIds: Record<string, string> = {
  chen: "UCHEN01",
  "it-manager": "UITMGR1",
  "vp-technology": "UVPTECH",
};

function pageClick(actionId: string, userId: string, actionTs: string, action: object) {
  return {
    type: "block_actions",
    user: slackUser(userId),
    api_app_id: "A0APP",
    token: "XXYYZZ",
    container: {
      type: "message",
      message_ts: "1700000650.000300",
      channel_id: "D0PAGED01",
      is_ephemeral: false,
    },
    trigger_id: `1234.5678.${actionTs}`,
    team: { id: team, domain: "acme" },
    is_enterprise_install: false,
    channel: { id: "D0PAGED01", name: "directmessage" },
    response_url: `${slackApi}/actions/${team}/1/xyz`,
    state: { values: {} },
    actions: [{ action_id: actionId, block_id: "page:x", action_ts: actionTs, ...action }],
  };
}

describe("moves on a page DM over signed Slack requests: snooze, escalate now, reassign", () => {
  let h: Harness;
  let ticketId: string;
  const pages = async () =>
    (
      await h.t.store.prisma.notification.findMany({
        where: { ticketId, kind: "page" },
        orderBy: { id: "asc" },
      })
    ).map((n) => ({
      to: (n.target as { userId: string }).userId,
      body: n.payload as unknown as MessageBody,
    }));
  const tick = () => runTick({ store: h.t.store, tickets: h.tickets, logger: silentLogger }, h.clock.now());
  const thread = async () =>
    (
      await h.t.store.prisma.notification.findMany({
        where: { ticketId, kind: "threadNote" },
        orderBy: { id: "asc" },
      })
    ).map((n) => (n.payload as { text: string }).text);
  const told: string[] = [];
  const opened: Record<string, string>[] = [];

  beforeAll(async () => {
    const directory = await openDirectory();
    const recipients = recipientsFrom(directory, slackIds);
    h = await startHarness({}, { policyFile: "policies/wes.yaml", recipients });
    h.clock.set(eastern("2026-11-28T22:00").toISO()!); // Saturday night: after hours
    slackBasics();
    nock(slackApi)
      .persist()
      .post("/api/chat.postEphemeral", (b) => {
        told.push(b.text);
        return true;
      })
      .reply(200, { ok: true })
      .post("/api/views.open", (b) => {
        opened.push(b);
        return true;
      })
      .reply(200, { ok: true });
    const { ticket } = await h.tickets.create(
      { id: customerId, platform: "slack", workspaceId, isAgent: false },
      { summary: "Scanner down at dock 4", home: { platform: "slack", workspaceId, channelId: channel } },
    );
    ticketId = ticket.id;
  });
  afterAll(() => h.close());

  it("draws Snooze, Escalate now and Reassign next to Acknowledge on the page", async () => {
    const [first] = await pages();
    expect(first?.to).toBe("UCHEN01");
    const { blocks } = renderMessage(first!.body, { now: h.clock.now() });
    const buttons = JSON.stringify(blocks.at(-1));
    expect(buttons).toContain('"Acknowledge"');
    expect(buttons).toContain('"Snooze…"');
    expect(buttons).toContain(`"value":"${ticketId}|page:r0:l0"`); // Escalate now names its page
    expect(buttons).toContain('"Reassign"');
  });

  it("snooze 1 hour: the ladder waits (no level 2 at 22:15) but the SLA does not (breached at 23:00)", async () => {
    const snooze = pageClick("page_snooze", "UCHEN01", "1700000700.000001", {
      type: "static_select",
      selected_option: { value: `${ticketId}|1h` },
    });
    expect((await postSigned(h, payloadBody(snooze), form)).status).toBe(200);
    await eventually(() => expect(told.join("\n")).toContain("Snoozed #1"));
    // Slack redelivers the same click: nothing is done again.
    await postSigned(h, payloadBody(snooze), form);
    h.clock.set(eastern("2026-11-28T22:30").toISO()!);
    await tick();
    expect((await pages()).map((p) => p.to)).toEqual(["UCHEN01"]);
    h.clock.set(eastern("2026-11-28T23:00").toISO()!);
    await tick();
    expect((await pages()).map((p) => p.to)).toEqual(["UCHEN01", "UCHEN01"]);
    const notes = await thread();
    expect(notes.filter((n) => n.includes("snoozed the page"))).toEqual([
      "😴 @UCHEN01 snoozed the page until Sat 28 Nov 23:00 EST; the SLA clock keeps running.",
    ]);
    expect(notes.join("\n")).toContain("🔴 First response target missed: it was due at Sat 28 Nov 23:00 EST");
  });

  it("escalate now pages the next level at once, and a second press of the same page does nothing", async () => {
    const [, again] = await pages();
    const pageKey = (again!.body as { pageKey: string }).pageKey;
    h.clock.set(eastern("2026-11-28T23:02").toISO()!);
    const press = pageClick("page_escalate", "UCHEN01", "1700000800.000001", {
      type: "button",
      value: `${ticketId}|${pageKey}`,
    });
    await postSigned(h, payloadBody(press), form);
    await eventually(() => expect(opened).toHaveLength(1));
    const meta = JSON.parse(jsonField<{ private_metadata: string }>(opened[0]!, "view").private_metadata);
    expect(meta).toMatchObject({ ticketId, pageKey });
    const reason = { reason: { value: { type: "plain_text_input", value: "needs the manager's call" } } };
    await postSigned(h, payloadBody(viewSubmission("page_escalate", "VESC1", "UCHEN01", meta, reason)), form);
    await eventually(async () =>
      expect((await pages()).map((p) => p.to)).toEqual(["UCHEN01", "UCHEN01", "UITMGR1"]),
    );
    // Someone else escalates from the same (now old) page: refused, and nobody else is paged.
    await postSigned(h, payloadBody(viewSubmission("page_escalate", "VESC2", "UITMGR1", meta, reason)), form);
    await eventually(() => expect(told.join("\n")).toContain("that page was escalated already"));
    expect((await pages()).map((p) => p.to)).toEqual(["UCHEN01", "UCHEN01", "UITMGR1"]);
    const escalations = await h.t.store.prisma.ticketEvent.count({
      where: { ticketId, type: "pageEscalated" },
    });
    expect(escalations).toBe(1);
  });

  it("reassign pages the chosen person at once, with the same buttons", async () => {
    const meta = { ticketId, channelId: "D0PAGED01" };
    const values = { person: { value: { type: "users_select", selected_user: "UVPTECH" } } };
    await postSigned(h, payloadBody(viewSubmission("page_reassign", "VRE1", "UITMGR1", meta, values)), form);
    await eventually(async () => expect((await pages()).at(-1)?.to).toBe("UVPTECH"));
    const last = (await pages()).at(-1)!;
    expect(last.body).toMatchObject({ type: "page", reason: "the page was reassigned to you" });
    expect(JSON.stringify(renderMessage(last.body, { now: h.clock.now() }).blocks)).toContain("Escalate now");
    expect((await thread()).at(-1)).toBe("↪️ @UITMGR1 reassigned the page to @UVPTECH.");
  });
});
