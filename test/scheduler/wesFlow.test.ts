import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OncallDirectory } from "../../src/paging/directory.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { earliestNextCheck, runTick } from "../../src/scheduler/tick.js";
import type { Recipients } from "../../src/tickets/notifications.js";
import { TicketService } from "../../src/tickets/service.js";
import { eastern, openDirectory } from "../paging/support.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { dispatchTo } from "../support/dispatch.js";
import { actor, FakeChat, FakeClock, silentLogger } from "../support/fakes.js";
import { recipientsFrom } from "../support/oncall.js";

// The WES seed: "After normal business hours and on weekends and holidays ... A designated member of the
// I.T. staff is always on call ... receives a message on his/her cell phone" and must respond within an hour.
const wes = loadPolicyFile("policies/wes.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };

describe("the WES after-hours flow, end to end", () => {
  let t: TestStore;
  let directory: OncallDirectory;
  let clock: FakeClock;
  let chat: FakeChat;
  let tickets: TicketService;
  const send = () => dispatchTo(t.store, { terminal: chat }, clock.date);
  const tick = async () => {
    await runTick({ store: t.store, tickets, logger: silentLogger }, clock.now());
    await send();
  };
  const pages = () => chat.sent.filter((m) => m.body.type === "page");
  const alerts = () => chat.sent.filter((m) => m.body.type === "escalation");

  beforeAll(async () => {
    t = await openTestStore("pglite");
    directory = await openDirectory(t.store.prisma);
  });
  afterAll(() => t.dispose());

  function start(iso: string, overrides: Partial<Recipients> = {}) {
    clock = new FakeClock(eastern(iso));
    chat = new FakeChat();
    const recipients: Recipients = { ...recipientsFrom(directory), ...overrides };
    tickets = new TicketService({ store: t.store, policy: wes, now: clock.now, recipients });
  }

  it("pages the person on call at once on Saturday 22:00, the next level after 15 minutes, and stops at the ack", async () => {
    start("2026-11-28T22:00");
    const { ticket } = await tickets.create(actor("carol", false), {
      summary: "Scanner down at dock 4",
      home,
    });
    await send(); // the immediate path: no tick needed
    expect(pages().map((m) => [m.destination.userId, m.body.type === "page" && m.body.level])).toEqual([
      ["chen", 1],
    ]);

    clock.advance({ minutes: 14 });
    await tick();
    expect(pages()).toHaveLength(1);
    clock.advance({ minutes: 1 }); // 22:15, no acknowledgement
    await tick();
    expect(pages().map((m) => m.destination.userId)).toEqual(["chen", "it-manager"]);

    clock.advance({ minutes: 5 });
    // The IT manager is not on the support team, but was paged: that is enough to acknowledge.
    await expect(
      tickets.record({ ticketId: ticket.id }, actor("vp-technology", false), { type: "acknowledged" }),
    ).rejects.toThrow("only the support team and whoever was paged can acknowledge tickets");
    await tickets.record({ ticketId: ticket.id }, actor("it-manager", false), { type: "acknowledged" });
    clock.set("2026-11-28T23:05:00-05:00"); // past the one-hour target, nobody called back
    await tick();
    expect(pages()).toHaveLength(2); // the ack stopped the ladder
    const view = await tickets.view({ ticketId: ticket.id });
    expect(view.targets).toEqual([
      {
        name: "firstResponse",
        label: "First response",
        due: "2026-11-28T23:00:00.000-05:00",
        state: "breached",
      },
    ]);
    expect(alerts().map((m) => m.destination.channelName ?? m.destination.userId)).toEqual([
      "#wes-help-desk",
      "it-manager",
    ]);
  });

  it("tells the help desk channel instead during business hours, and pages nobody", async () => {
    start("2026-12-01T10:00"); // a Tuesday
    const { ticket } = await tickets.create(actor("carol", false), { summary: "Label printer jams", home });
    await send();
    expect(pages()).toEqual([]);
    expect(alerts().map((m) => m.destination.channelName)).toEqual(["#wes-help-desk"]);
    expect(ticket.targets[0]?.due).toBe("2026-12-01T11:00:00.000-05:00");
  });

  it("runs an unacknowledged ladder three rounds, each page once, then stops", async () => {
    start("2026-11-28T22:00");
    await tickets.create(actor("carol", false), { summary: "Nobody answers", home });
    await send();
    const end = clock.now().plus({ hours: 6 });
    for (let i = 0; i < 100; i++) {
      const next = await earliestNextCheck(t.store);
      if (!next || next.getTime() > end.toMillis()) break;
      clock.set(new Date(Math.max(next.getTime(), clock.date().getTime())).toISOString());
      await tick();
    }
    const paged = pages().map((m) => `${m.destination.userId}@${m.key.split(":page:")[1]}`);
    // chen, then the IT manager after 15 min, the VP after 30 more; repeat: 2 means three rounds in all.
    expect(paged).toEqual([
      "chen@r0:l0",
      "it-manager@r0:l1",
      "vp-technology@r0:l2",
      "chen@r1:l0",
      "it-manager@r1:l1",
      "vp-technology@r1:l2",
      "chen@r2:l0",
      "it-manager@r2:l1",
      "vp-technology@r2:l2",
    ]);
    // Nobody answered any round: the schedule's fallback channel is told, once.
    expect(
      alerts()
        .filter((m) => m.key.endsWith(":exhausted"))
        .map((m) => m.destination.channelName),
    ).toEqual(["#wes-help-desk"]);
  });

  it("never pages nobody silently: a page that resolves to no one is an admin alert", async () => {
    const admin = { platform: "terminal" as const, workspaceId: "local", channelName: "#escalator-admin" };
    start("2026-11-28T22:00", { onCall: () => null, ladder: () => undefined, admin: () => admin });
    await tickets.create(actor("carol", false), { summary: "Nobody is on call", home });
    await send();
    expect(pages()).toEqual([]);
    const alerted = chat.sent.filter((m) => m.body.type === "adminAlert");
    expect(alerted.map((m) => m.destination.channelName)).toEqual(["#escalator-admin"]);
    expect(alerted[0]?.body.type === "adminAlert" && alerted[0].body.text).toMatch(
      /^#\d+: the page for on-call schedule "wes-after-hours" at Sat 28 Nov 22:00 EST reached nobody/,
    );
  });
});
