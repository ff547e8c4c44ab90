import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../../src/tickets/service.js";
import { authCells, type RelationName } from "../../support/authMatrix.js";
import {
  channel,
  commandBody,
  eventBody,
  eventually,
  form,
  type Harness,
  payloadBody,
  postSigned,
  slackApi,
  startHarness,
  team,
  workspaceId,
} from "./harness.js";

/**
 * Every cell of the rule table that Slack can reach, through the signed HTTP endpoint: thread replies,
 * card and page buttons, the severity and resolve forms (posted directly, as a forger would), `/ticket N`.
 */
const otherTeam = "T0002";
const people: Record<RelationName, { id: string; team: string }> = {
  admin: { id: "UADMIN1", team: otherTeam },
  agent: { id: "UAGENT1", team },
  agentElsewhere: { id: "UAGENT2", team: otherTeam }, // in the agent group, but of another workspace
  requester: { id: "UCUST01", team },
  customer: { id: "UCOLL01", team }, // named for the ticket's customer in the customers file
  pagedNonAgent: { id: "UMGR001", team },
  otherCustomer: { id: "UOTHER1", team },
};

const setup: Actor = { id: "USETUP1", platform: "slack", workspaceId, isAgent: true };

type Send = (h: Harness, who: { id: string; team: string }, ticketId: string, n: number) => Promise<unknown>;

const user = (who: { id: string; team: string }) => ({ id: who.id, username: who.id, team_id: who.team });

function click(actionId: string, ticketId: string, who: { id: string; team: string }, n: number) {
  return payloadBody({
    type: "block_actions",
    user: user(who),
    api_app_id: "A0APP",
    token: "XXYYZZ",
    container: { type: "message", message_ts: `1700000000.${n}`, channel_id: channel, is_ephemeral: false },
    trigger_id: `1234.5678.${n}`,
    team: { id: who.team, domain: "x" },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: "support" },
    message: { type: "message", ts: `1700000000.${n}`, text: "card", user: "UBOT0001" },
    response_url: `${slackApi}/actions/told`,
    state: { values: {} },
    actions: [{ action_id: actionId, block_id: "b", value: ticketId, type: "button", action_ts: `17.${n}` }],
  });
}

function submit(
  callbackId: string,
  ticketId: string,
  who: { id: string; team: string },
  n: number,
  values: object,
) {
  return payloadBody({
    type: "view_submission",
    team: { id: who.team, domain: "x" },
    user: user(who),
    api_app_id: "A0APP",
    token: "XXYYZZ",
    trigger_id: `1.2.${n}`,
    view: {
      id: `V${n}`,
      team_id: who.team,
      type: "modal",
      callback_id: callbackId,
      private_metadata: JSON.stringify({ ticketId, channelId: channel }),
      hash: "1.2",
      state: { values },
      title: { type: "plain_text", text: "x" },
      blocks: [],
    },
    response_urls: [],
    is_enterprise_install: false,
  });
}

const pick = (value: string) => ({ value: { type: "static_select", selected_option: { value } } });

const sends: Record<string, { send: Send; before?: "waitingOnCustomer" | "resolved" }> = {
  comment: {
    send: (h, who, _ticketId, n) => {
      const event = {
        type: "message",
        channel,
        user: who.id,
        user_team: who.team,
        text: "any news?",
        ts: `1700000500.${n}`,
        thread_ts: `1700000000.${n}`,
        channel_type: "channel",
      };
      const body = JSON.parse(eventBody(event, `Ev${n}`));
      // Delivered to the installation of the writer's workspace (a channel shared by two installations).
      body.team_id = who.team;
      body.authorizations[0].team_id = who.team;
      return postSigned(h, JSON.stringify(body), "application/json");
    },
  },
  acknowledged: { send: (h, who, id, n) => postSigned(h, click("page_acknowledge", id, who, n), form) },
  waitingOnCustomer: { send: (h, who, id, n) => postSigned(h, click("ticket_wait", id, who, n), form) },
  resumed: {
    send: (h, who, id, n) => postSigned(h, click("ticket_resume", id, who, n), form),
    before: "waitingOnCustomer",
  },
  reopened: {
    send: (h, who, id, n) => postSigned(h, click("ticket_reopen", id, who, n), form),
    before: "resolved",
  },
  severityChanged: {
    send: (h, who, id, n) =>
      postSigned(h, submit("ticket_severity", id, who, n, { severity: pick("critical") }), form),
  },
  resolved: {
    send: (h, who, id, n) =>
      postSigned(h, submit("ticket_resolve", id, who, n, { reason: pick("fixed") }), form),
  },
};

describe("the rule table through Slack's signed endpoint", () => {
  let h: Harness;
  const told: string[] = [];
  let n = 0;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "esc-auth-"));
    const customers = join(dir, "customers.yaml");
    writeFileSync(
      customers,
      "customers:\n  - id: acme\n    plan: standard\n    users: [UCOLL01]\n  - id: globex\n    plan: standard\n    users: [UOTHER1]\n",
    );
    h = await startHarness({ SLACK_CUSTOMERS_FILE: customers, SLACK_ADMIN_USER_IDS: people.admin.id });
    const record = (b: Record<string, string>) => told.push(String(b.text ?? "")) > 0;
    nock(slackApi)
      .persist()
      .post("/api/auth.test")
      .reply(200, { ok: true, user_id: "UBOT0001", bot_id: "B0001", team_id: team })
      .post("/api/usergroups.users.list")
      .reply(200, { ok: true, users: [people.agentElsewhere.id] })
      .post("/actions/told", record)
      .reply(200, "ok")
      .post("/api/chat.postEphemeral", record)
      .reply(200, { ok: true })
      .post(/\/commands\/.*/, record)
      .reply(200, "ok")
      .post(/\/api\/(chat\.update|views\.open|users\.info)/)
      .reply(200, { ok: true });
  });
  afterAll(() => h.close());

  /** A ticket of customer acme opened by the requester, with its thread, a page to UMGR001 and the state asked. */
  async function ticketFor(thread: string, before?: "waitingOnCustomer" | "resolved"): Promise<string> {
    const { ticket } = await h.tickets.create(
      { id: people.requester.id, platform: "slack", workspaceId, isAgent: false },
      {
        summary: "Scanner down",
        home: { platform: "slack", workspaceId, channelId: channel },
        customerId: "acme",
      },
    );
    const prisma = h.t.store.prisma;
    await prisma.chatLink.create({
      data: {
        ticketId: ticket.id,
        platform: "slack",
        kind: "root",
        workspaceId,
        channelId: channel,
        messageId: thread,
        threadId: thread,
      },
    });
    await prisma.notification.create({
      data: {
        key: `${ticket.id}:page:t`,
        ticketId: ticket.id,
        kind: "page",
        target: { userId: people.pagedNonAgent.id },
        payload: {},
        state: "sent",
      },
    });
    if (before === "waitingOnCustomer")
      await h.tickets.record({ ticketId: ticket.id }, setup, { type: before });
    if (before === "resolved")
      await h.tickets.record({ ticketId: ticket.id }, setup, { type: "resolved", reason: "fixed" });
    return ticket.id;
  }

  const reachable = authCells.filter((c) => c.command in sends);

  it.each(reachable.map((c) => [c.command, c.relation, c.allowed] as const))(
    "%s by %s: allowed %s",
    async (command, relation, allowed) => {
      const step = sends[command]!;
      n += 1;
      const ticketId = await ticketFor(`1700000000.${n}`, step.before);
      const who = people[relation];
      const toldBefore = told.length;
      const response = (await step.send(h, who, ticketId, n)) as { status: number };
      expect(response.status).toBe(200);
      const mine = { ticketId, actorId: who.id, type: { not: "created" } };
      if (allowed) {
        await eventually(async () =>
          expect(await h.t.store.prisma.ticketEvent.count({ where: mine })).toBeGreaterThan(0),
        );
      } else {
        await eventually(() => expect(told.length).toBeGreaterThan(toldBefore));
        expect(told.slice(toldBefore).join(" ")).toMatch(/only (the support team|its requester)/);
        expect(await h.t.store.prisma.ticketEvent.count({ where: mine })).toBe(0);
      }
    },
  );

  it("`/ticket N` shows the ticket only to those the table lets look", async () => {
    const number = (await h.tickets.view({ ticketId: await ticketFor("1700009999.1") })).number;
    for (const cell of authCells.filter((c) => c.command === "view" && people[c.relation].team === team)) {
      const before = told.length;
      const who = people[cell.relation];
      await postSigned(h, commandBody(String(number), { user_id: who.id }), form);
      await eventually(() => expect(told.length).toBeGreaterThan(before));
      const answer = told.slice(before).join(" ");
      if (cell.allowed) expect(answer, cell.relation).toContain(`#${number} Scanner down`);
      else
        expect(answer, cell.relation).toMatch(
          /only its requester, their colleagues and the support team can see/,
        );
    }
  });

  it("another customer's reply neither resumes a paused clock nor reopens a resolved ticket", async () => {
    for (const before of ["waitingOnCustomer", "resolved"] as const) {
      n += 1;
      const ticketId = await ticketFor(`1700000000.${n}`, before);
      const toldBefore = told.length;
      await sends.comment!.send(h, people.otherCustomer, ticketId, n);
      await eventually(() => expect(told.length).toBeGreaterThan(toldBefore));
      expect((await h.tickets.view({ ticketId })).status).toBe(
        before === "resolved" ? "resolved" : "waiting",
      );
    }
  });
});
