import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTick } from "../../../src/scheduler/tick.js";
import { eastern, openDirectory } from "../../paging/support.js";
import { silentLogger } from "../../support/fakes.js";
import { recipientsFrom } from "../../support/oncall.js";
import {
  channel,
  channelMessage,
  customer,
  installed,
  invoke,
  startTeamsHarness,
  type TeamsHarness,
  teamsPerson,
  workspaceId,
} from "./harness.js";

// The WES people as Teams knows them: AAD object ids (people.yaml `teams:`), names from their personal chats.
const person = (name: string, n: number) => teamsPerson(name, n, "1111");
const chen = person("Chen Wei", 1);
const itManager = person("IT manager", 2);
const vp = person("VP Technology", 3); // never installed the app
const aad: Record<string, string> = {
  chen: chen.aadObjectId,
  "it-manager": itManager.aadObjectId,
  "vp-technology": vp.aadObjectId,
};
const admin = "19:admin@thread.tacv2";

type Card = { body: { text?: string }[]; actions?: { title: string; verb?: string }[] };
const cardOf = (body: Record<string, unknown>) =>
  (body.attachments as { content: Card }[] | undefined)?.[0]?.content ?? { body: [] };

describe("Teams proactive messages: the WES Saturday-night flow, alerts and failed deliveries", () => {
  let h: TeamsHarness;
  beforeAll(async () => {
    h = await startTeamsHarness({
      policyFile: "policies/wes.yaml",
      start: eastern("2026-11-28T22:00"),
      env: { TEAMS_CHANNEL_MAP: `wes-help-desk=${channel}`, TEAMS_ADMIN_CHANNEL: admin },
      recipients: async ({ prisma }) => recipientsFrom(await openDirectory(prisma), aad),
    });
    await h.post(installed(chen));
    await h.post(installed(itManager));
    // The admin channel is a channel the bot is in: Teams told it so once.
    await h.post({
      ...channelMessage(customer, "hello", { mention: false }),
      conversation: {
        id: admin,
        conversationType: "channel",
        tenantId: channelMessage(customer, "").conversation.tenantId,
      },
    });
  });
  afterAll(() => h.close());

  const tick = async () => {
    await runTick({ store: h.t.store, tickets: h.tickets, logger: silentLogger }, h.clock.now());
    await h.dispatch();
  };
  const pagesTo = () =>
    h.bf.calls
      .filter((c) => c.method === "POST" && c.conversationId.startsWith("a:personal-"))
      .map((c) => [
        c.conversationId.replace("a:personal-", ""),
        (cardOf(c.body).body[0]?.text ?? "").slice(0, 40),
      ])
      .filter(([, text]) => text?.startsWith("🚨"));

  it("pages the on-call engineer in a 1:1 chat, the IT manager 15 minutes later, and stops at the ack from the card", async () => {
    await h.post(channelMessage(customer, "ticket Scanner down at dock 4"));
    h.bf.calls.length = 0;
    await h.dispatch();
    expect(pagesTo()).toEqual([[chen.aadObjectId, "🚨 **You are paged** for #1 (Normal): Sc"]]);
    const page = h.bf.calls.find((c) => c.conversationId === `a:personal-${chen.aadObjectId}`)!;
    expect(cardOf(page.body).actions?.map((a) => a.title)).toEqual([
      "Acknowledge",
      "Snooze",
      "Escalate now",
      "Reassign",
    ]);

    h.clock.advance({ minutes: 14 });
    await tick();
    expect(pagesTo()).toHaveLength(1);
    h.clock.advance({ minutes: 1 }); // 22:15, nobody acknowledged
    await tick();
    expect(pagesTo().map(([to]) => to)).toEqual([chen.aadObjectId, itManager.aadObjectId]);

    h.clock.advance({ minutes: 5 });
    const ticketId = (await h.t.store.prisma.ticket.findFirstOrThrow()).id;
    const ack = await h.post(
      invoke(
        itManager,
        "adaptiveCard/action",
        { action: { type: "Action.Execute", verb: "pageAck", data: { verb: "pageAck", ticketId } } },
        { id: `a:personal-${itManager.aadObjectId}`, conversationType: "personal" },
      ),
    );
    const answered = (ack.body as { value: Card }).value;
    expect(answered.body[0]?.text).toBe("✅ You acknowledged **#1**: Scanner down at dock 4");
    expect(answered.actions).toBeUndefined();

    h.clock.set("2026-11-28T23:05:00-05:00"); // past the one-hour target: nobody else is paged
    h.bf.calls.length = 0;
    await tick();
    expect(pagesTo()).toEqual([]);
    // The breach goes to the help-desk channel as a new post.
    // As on Slack and the terminal: the help desk channel (a new post) and the IT manager (1:1) are told.
    const alerts = h.bf.calls
      .map((c) => [
        c.conversationId,
        cardOf((c.body.activity ?? c.body) as Record<string, unknown>).body[0]?.text,
      ])
      .filter(([, text]) => text?.startsWith("📣"));
    expect(alerts.sort()).toEqual([
      [channel, "📣 \\#1 escalated: response missed"],
      [`a:personal-${itManager.aadObjectId}`, "📣 \\#1 escalated: response missed after hours"],
    ]);
  });

  it("fails a page to someone who never installed the app loudly: the admin channel hears it", async () => {
    h.clock.set("2026-11-29T02:00:00-05:00");
    await h.post(channelMessage(customer, "ticket Second scanner down"));
    await h.dispatch();
    h.clock.advance({ minutes: 46 }); // chen, then the IT manager, then the VP (not installed)
    await tick();
    h.clock.advance({ minutes: 1 });
    await tick();
    const failed = await h.t.store.prisma.notification.findMany({ where: { state: "failed" } });
    expect(failed.map((n) => [n.kind, n.lastError])).toEqual([
      [
        "page",
        expect.stringContaining(`cannot message Teams user ${vp.aadObjectId}: they have not installed`),
      ],
    ]);
    await h.dispatch();
    const told = h.bf.calls.filter((c) => c.conversationId === admin).map((c) => String(c.body.text));
    expect(told.at(-1)).toMatch(/^⚙️ Escalator: Escalator could not deliver a page message/);
  });

  it("maps Teams refusals: throttling and gateway errors retry (after Retry-After), 403 and 404 never do", async () => {
    const adminAlert = (key: string) => ({
      key,
      destination: { platform: "teams" as const, workspaceId, channelId: admin },
      body: { type: "adminAlert" as const, text: "test" },
    });
    const cases: [number, Record<string, string> | undefined, object][] = [
      [429, { "retry-after": "7" }, { name: "RetryableSendError", retryAfterMs: 7000 }],
      [412, undefined, { name: "RetryableSendError" }],
      [502, undefined, { name: "RetryableSendError" }],
      [504, undefined, { name: "RetryableSendError" }],
      [
        403,
        undefined,
        { name: "PermanentSendError", message: expect.stringMatching(/not in that conversation/) },
      ],
      [404, undefined, { name: "PermanentSendError" }],
    ];
    for (const [status, headers, expected] of cases) {
      h.bf.failNext(status, headers);
      const calls = h.bf.calls.length;
      await expect(h.teams.port.send(adminAlert(`k${status}`))).rejects.toMatchObject(expected);
      expect(h.bf.calls.length).toBe(calls); // one attempt: the outbox retries, not the HTTP client
    }
  });
});
