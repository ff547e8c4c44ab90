import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complianceText } from "../../src/cli/commands/report.js";
import { exportTickets } from "../../src/cli/commands/tickets.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { ComplianceTally } from "../../src/reports/compliance.js";
import { ticketLogBatches } from "../../src/reports/ticketLogs.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const wetx = loadPolicyFile("policies/wetx.yaml");
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const reply = { type: "comment", author: "agent", visibility: "public", text: "Calling you now" } as const;

describe("escalator report and tickets export", () => {
  let t: TestStore;
  const asOf = DateTime.fromISO("2026-11-30T12:00:00", { zone: "America/Denver" });
  beforeAll(async () => {
    t = await openTestStore("pglite");
    const clock = new FakeClock(DateTime.fromISO("2026-11-16T09:00:00", { zone: "America/Denver" }));
    const tickets = new TicketService({ store: t.store, policy: wetx, now: clock.now });
    // 20 texts on Monday in business hours: 19 answered the same day, one only the next morning (missed).
    for (let i = 0; i < 20; i++) {
      const { ticket } = await tickets.create(actor("carol", false), {
        summary: `Text ${i}`,
        channel: "text",
        home,
      });
      clock.advance({ hours: i === 19 ? 20 : 1 });
      await tickets.record({ ticketId: ticket.id }, actor("alice", true), reply);
      clock.set("2026-11-16T09:00:00-07:00");
    }
    // Two emails: one answered, one never (breached by the report's instant).
    const answered = await tickets.create(actor("dave", false), {
      summary: "Mail, answered",
      channel: "email",
      home,
    });
    await tickets.record({ ticketId: answered.ticket.id }, actor("alice", true), reply);
    await tickets.create(actor("erin", false), {
      summary: 'Mail, "never" answered, with a comma',
      channel: "email",
      home,
    });
  }, 60_000);
  afterAll(() => t.dispose());

  it("shows WETx text compliance against its 95 % goal", async () => {
    const result = await complianceText(
      t.store,
      wetx,
      { from: "2026-11-01", to: "2026-11-30T12:00", by: "channel", format: "table" },
      asOf,
    );
    expect(result.ok).toBe(true);
    const output = result.ok ? result.output : "";
    expect(output.split("\n").slice(1, 5)).toEqual([
      "target         channel  tickets  met  breached  open  compliance  goal  meetsGoal",
      "─────────────  ───────  ───────  ───  ────────  ────  ──────────  ────  ─────────",
      "firstResponse  email          2    1         1     0         50%     —  —",
      "firstResponse  text          20   19         1     0         95%   95%  yes",
    ]);
  });

  it("prints CSV and JSON, and says what to type for a bad option", async () => {
    const csv = await complianceText(
      t.store,
      wetx,
      { to: "2026-11-30T12:00", by: "channel,plan", format: "csv" },
      asOf,
    );
    expect(csv.ok && csv.output.split("\n")[2]).toBe("firstResponse,text,standard,20,19,1,0,95,95,yes");
    const json = await complianceText(
      t.store,
      wetx,
      { to: "2026-11-30T12:00", by: "channel", format: "json" },
      asOf,
    );
    expect(json.ok && JSON.parse(json.output)[1]).toMatchObject({
      channel: "text",
      compliance: 95,
      goal: 95,
      meetsGoal: true,
    });
    expect(await complianceText(t.store, wetx, { by: "colour", format: "table" }, asOf)).toEqual({
      ok: false,
      error: "--by takes severity, channel, plan, category; not colour",
    });
  });

  it("exports tickets as CSV with quoting, in the policy's zone", async () => {
    const result = await exportTickets(t.store, wetx, { format: "csv", status: "open" });
    const lines = result.ok ? result.output.trim().split("\n") : [];
    expect(lines[0]).toBe(
      "number,workspace,summary,severity,channel,plan,category,status,requester,assignee,openedAt,respondedAt,resolvedAt,closedAt,resolution",
    );
    expect(lines.slice(1)).toEqual([
      '22,local,"Mail, ""never"" answered, with a comma",normal,email,standard,question,open,erin,,2026-11-16T09:00:00.000-07:00,,,,',
    ]);
    expect(await exportTickets(t.store, wetx, { format: "csv", status: "done" })).toEqual({
      ok: false,
      error: "--status takes open, responded, waiting, resolved, closed; not done",
    });
  });

  it("reads a long period a batch of tickets at a time, every ticket once, with the same figures", async () => {
    const range = { from: DateTime.fromISO("2026-11-01"), to: asOf };
    const batches: string[][] = [];
    const tally = new ComplianceTally(wetx, asOf, []);
    for await (const logs of ticketLogBatches(t.store, wetx.id, range, () => undefined, 5)) {
      batches.push(logs.map((log) => (log[0]!.payload.type === "created" ? log[0]!.payload.summary : "?")));
      tally.add(logs);
    }
    expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 2]);
    expect(new Set(batches.flat()).size).toBe(22);
    const firstResponse = tally.rows().find((r) => r.target === "firstResponse");
    expect(firstResponse).toMatchObject({ tickets: 22, met: 20, breached: 2 });
  });
});
