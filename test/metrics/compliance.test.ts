import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TicketView } from "../../src/chat/port.js";
import { ComplianceCounts } from "../../src/metrics/compliance.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { complianceReport } from "../../src/reports/compliance.js";
import { loadLogs } from "../../src/tickets/log.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };

// The /metrics compliance gauge counts as the report does, but evaluates only tickets that may have moved.
describe("SLA compliance counts for /metrics", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("stay equal to a full report as tickets change, targets fall due and tickets leave the 30 days", async () => {
    // Friday 2026-11-20 18:30 Mountain; WETx emails are due for a first response Monday 19:00.
    const clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00", { zone: "America/Denver" }));
    const tickets = new TicketService({ store: t.store, policy: wetx, now: clock.now });
    const opened: TicketView[] = [];
    for (const summary of ["Export fails", "Login slow", "Sync stuck"])
      opened.push((await tickets.create(actor("carol", false), { summary, channel: "email", home })).ticket);
    const counts = new ComplianceCounts(t.store, wetx, 2); // two tickets a page: the pages are walked
    const warnings: string[] = [];
    const count = () => counts.count(clock.now(), (w) => warnings.push(w));
    const report = async () => {
      const ids = opened.map((ticket) => ticket.id);
      const { logs } = await loadLogs(t.store.prisma, ids);
      const open = clock.now().minus({ days: 30 });
      const recent = opened.filter((ticket) => DateTime.fromISO(ticket.openedAt) >= open);
      return complianceReport(
        wetx,
        recent.map((ticket) => logs.get(ticket.id)!),
        clock.now(),
        [],
      ).map(({ target, met, breached, open: running }) => ({ target, met, breached, open: running }));
    };
    const firstResponse = async () => (await count()).find((c) => c.target === "firstResponse");

    clock.advance({ minutes: 10 });
    expect(await firstResponse()).toEqual({ target: "firstResponse", met: 0, breached: 0, open: 3 });
    expect(counts.evaluated).toBe(3);
    expect(await count()).toEqual(await report());
    expect(counts.evaluated).toBe(0); // nothing moved: nothing evaluated again

    await tickets.record({ ticketId: opened[0]!.id }, actor("alice", true), {
      type: "comment",
      author: "agent",
      visibility: "public",
      text: "Looking into it",
    });
    expect(await firstResponse()).toEqual({ target: "firstResponse", met: 1, breached: 0, open: 2 });
    expect(counts.evaluated).toBe(1);

    // Tuesday morning: the two unanswered first responses passed their due instant, with no event at all.
    clock.set("2026-11-24T09:00:00-07:00");
    expect(await firstResponse()).toEqual({ target: "firstResponse", met: 1, breached: 2, open: 0 });
    expect(counts.evaluated).toBe(2);
    expect(await count()).toEqual(await report());

    // A month later none of them was opened in the last 30 days.
    clock.advance({ days: 30 });
    expect(await count()).toEqual([]);
    expect(await report()).toEqual([]);
    expect(warnings).toEqual([]);
  });
});
