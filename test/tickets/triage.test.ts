import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Destination, MessageBody } from "../../src/chat/port.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { Policy } from "../../src/policy/types.js";
import { TicketService } from "../../src/tickets/service.js";
import { openDirectory } from "../paging/support.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";
import { recipientsFrom } from "../support/oncall.js";

const wes = loadPolicyFile("policies/wes.yaml");
const home = { platform: "slack" as const, workspaceId: "slack:T1", channelId: "C0SHARED" };
const customer = { ...actor("UCUST", false), platform: "slack" as const, workspaceId: "slack:T1" };
// An agent writing from elsewhere (the terminal), so that the note is told in Slack (a note typed in a
// Slack thread is already there and is not repeated).
const agent = actor("UAGENT", true, "slack:T1");

describe("a ticket with a triage channel", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  async function sent(ticketId: string) {
    const rows = await t.store.prisma.notification.findMany({ where: { ticketId }, orderBy: { id: "asc" } });
    return rows.map((r) => ({ target: r.target as unknown as Destination, body: r.payload as MessageBody }));
  }
  const words = (body: MessageBody) => ("text" in body ? body.text : body.type);

  async function story(policy: Policy, triageChannel: string | null) {
    // Tuesday 2026-11-24 10:00 Eastern: WES business hours.
    const clock = new FakeClock(DateTime.fromISO("2026-11-24T10:00:00", { zone: "America/New_York" }));
    const tickets = new TicketService({ store: t.store, policy, now: clock.now });
    const { ticket } = await tickets.create(customer, { summary: "scanner down", home, triageChannel });
    await tickets.record({ ticketId: ticket.id }, agent, {
      type: "comment",
      author: "agent",
      visibility: "internal",
      text: "their firmware is old; do not say so yet",
    });
    await tickets.record({ ticketId: ticket.id }, agent, { type: "waitingOnCustomer" });
    await tickets.record({ ticketId: ticket.id }, agent, { type: "resumed" });
    clock.advance({ hours: 2 }); // past the 15-minute warning and the one-hour target
    await t.store.prisma.$transaction((tx) => tickets.reevaluate(tx, [ticket.id], clock.now()));
    return sent(ticket.id);
  }

  it("keeps SLA warnings, breaches, escalation notes and internal notes out of the customer's thread", async () => {
    const all = await story(wes, "#support-triage");
    const customerThread = all.filter((m) => m.target.thread === "ticket");
    const team = all.filter((m) => m.target.thread === "triage");
    const thread = customerThread.map((m) => words(m.body)).join("\n");
    expect(thread).not.toMatch(/⚠️|🔴|📣|internal|firmware/);
    expect(thread).toContain("is waiting on the customer");
    expect(thread).toContain("resumed the ticket");
    expect(team.every((m) => m.target.channelName === "#support-triage")).toBe(true);
    const teamWords = team.map((m) => words(m.body)).join("\n");
    expect(teamWords).toContain("⚠️ First response due at");
    expect(teamWords).toContain("🔴 First response target missed");
    expect(teamWords).toContain("📣 Escalation: page help desk (posting in #wes-help-desk)");
    expect(teamWords).toContain("(internal): their firmware is old");
    // The team's copy of the card is kept as the card is.
    expect(team.filter((m) => m.body.type === "ticketCard").length).toBe(
      customerThread.filter((m) => m.body.type === "ticketCard").length,
    );
  });

  it("posts what a policy step tells the customer in the thread, and a step's note where it says", async () => {
    const policy: Policy = {
      ...wes,
      escalations: wes.escalations.map((step) =>
        step.id === "page-help-desk"
          ? {
              ...step,
              announce: "thread" as const,
              actions: [{ postToChannel: "triage" }, { tellCustomer: "Our help desk has your call." }],
            }
          : step,
      ),
    };
    const all = await story(policy, "#support-triage");
    const thread = all.filter((m) => m.target.thread === "ticket").map((m) => words(m.body));
    expect(thread).toContain("Our help desk has your call.");
    expect(thread).toContain("📣 Escalation: page help desk (posting in triage, telling the customer)");
    const alert = all.find((m) => m.body.type === "escalation");
    expect(alert?.target).toMatchObject({ channelName: "#support-triage", thread: "triage" });
  });

  it("tells the on-call engineer's moves on a page (the typed reason too) only in the triage channel", async () => {
    // Saturday 2026-11-28 22:00 Eastern: after hours, so the paging ladder runs for a new ticket.
    const clock = new FakeClock(DateTime.fromISO("2026-11-28T22:00:00", { zone: "America/New_York" }));
    const directory = await openDirectory();
    const recipients = recipientsFrom(directory);
    const tickets = new TicketService({ store: t.store, policy: wes, now: clock.now, recipients });
    const triageChannel = "#support-triage";
    const { ticket } = await tickets.create(customer, { summary: "dock 4 down", home, triageChannel });
    await tickets.record({ ticketId: ticket.id }, agent, {
      type: "pageSnoozed",
      until: "2026-11-28T23:00:00-05:00",
    });
    await tickets.record({ ticketId: ticket.id }, agent, {
      type: "pageEscalated",
      reason: "needs a manager",
    });
    const all = await sent(ticket.id);
    const thread = all.filter((m) => m.target.thread === "ticket").map((m) => words(m.body));
    expect(thread.join("\n")).not.toMatch(/snoozed|escalated the page|manager/);
    const team = all.filter((m) => m.target.thread === "triage").map((m) => words(m.body));
    expect(team.join("\n")).toContain("snoozed the page");
    expect(team.join("\n")).toContain("escalated the page to the next level now: needs a manager");
  });

  it("without a triage channel, tells everything in the ticket's own thread as before", async () => {
    const all = await story(wes, null);
    expect(all.some((m) => m.target.thread === "triage")).toBe(false);
    const thread = all.map((m) => words(m.body)).join("\n");
    expect(thread).toContain("🔴 First response target missed");
    expect(thread).toContain("(internal): their firmware is old");
  });
});
