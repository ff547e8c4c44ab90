import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complianceText } from "../../src/cli/commands/report.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { Policy } from "../../src/policy/types.js";
import { digestChartOf, digestText, postWeeklyDigest, weeklyDigest } from "../../src/reports/digest.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";

const base = loadPolicyFile("policies/wetx.yaml");
const wetx: Policy = {
  ...base,
  chat: { ...base.chat, digest: { channel: "#support-leads", weekday: "monday", time: "09:00" } },
};
const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
const reply = { type: "comment", author: "agent", visibility: "public", text: "Calling you now" } as const;
const denver = (iso: string) => DateTime.fromISO(iso, { zone: "America/Denver" });

describe("the weekly SLA digest", () => {
  let t: TestStore;
  let tickets: TicketService;
  const clock = new FakeClock(denver("2026-11-09T09:00"));
  const texts = async (n: number, missed: number) => {
    for (let i = 0; i < n; i++) {
      const start = clock.now();
      const { ticket } = await tickets.create(actor("carol", false), {
        summary: `Text ${i}`,
        channel: "text",
        home,
      });
      clock.advance({ hours: i < missed ? 20 : 1 }); // a missed one is answered only the next morning
      await tickets.record({ ticketId: ticket.id }, actor("alice", true), reply);
      clock.current = start;
    }
  };
  beforeAll(async () => {
    t = await openTestStore("pglite");
    tickets = new TicketService({ store: t.store, policy: wetx, now: clock.now });
    await texts(10, 2); // the week of Monday 9 November: 80 %
    clock.current = denver("2026-11-16T09:00");
    await texts(20, 1); // the week of Monday 16 November: 95 %, the goal
  }, 120_000);
  afterAll(() => t.dispose());

  it("has the same numbers as `escalator report` for the same week, with the goal, the trend and the worst breach", async () => {
    const now = denver("2026-11-23T09:00");
    const digest = await weeklyDigest(t.store.prisma, wetx, denver("2026-11-16T00:00"), now);
    const report = await complianceText(
      t.store,
      wetx,
      { from: "2026-11-16T00:00", to: "2026-11-23T00:00", by: "plan", format: "json" },
      now,
    );
    expect(report.ok).toBe(true);
    const rows = JSON.parse(report.ok ? report.output : "[]");
    expect(
      digest.rows.map(({ target, plan, tickets, met, breached, open, compliance, goal }) => ({
        target,
        plan,
        tickets,
        met,
        breached,
        open,
        compliance,
        goal,
      })),
    ).toEqual(
      rows.map(
        ({ target, plan, tickets, met, breached, open, compliance, goal }: Record<string, unknown>) => ({
          target,
          plan,
          tickets,
          met,
          breached,
          open,
          compliance,
          goal,
        }),
      ),
    );
    // The chart draws the same rows, beside the week before as `escalator report` counts that week.
    const previous = await complianceText(
      t.store,
      wetx,
      { from: "2026-11-09T00:00", to: "2026-11-16T00:00", by: "plan", format: "json" },
      denver("2026-11-16T00:00"),
    );
    const before = JSON.parse(previous.ok ? previous.output : "[]");
    expect(digestChartOf(digest)?.groups).toEqual(
      rows.map(({ target, plan, met, breached, open, compliance, goal }: Record<string, unknown>) =>
        expect.objectContaining({
          target,
          plan,
          met,
          breached,
          open,
          compliance,
          goal,
          before: before.find((b: Record<string, unknown>) => b.target === target && b.plan === plan)
            .compliance,
        }),
      ),
    );
    expect(digestChartOf(digest)?.groups[0]).toMatchObject({
      label: "First response · standard",
      compliance: 95,
      before: 80,
    });
    const text = digestText(digest);
    expect(text).toContain("• First response · standard: 19 met, 1 breached, 0 open — 95% · goal 95% ✅");
    expect(text).toContain("Trend vs the week before: First response 95% (▲ 15 pts vs 80%)");
    expect(text).toMatch(/Worst breaches:\n• #\d+ first response \d+ h \d+ min late/);
  });

  it("is posted to the configured channel once, on Monday at 09:00 local time, on every replica's tick", async () => {
    const where = { platform: "terminal" as const, workspaceId: "local" };
    expect(await postWeeklyDigest(t.store.prisma, wetx, where, denver("2026-11-23T08:59"))).toBe(0);
    expect(await postWeeklyDigest(t.store.prisma, wetx, where, denver("2026-11-23T09:00"))).toBe(1);
    expect(await postWeeklyDigest(t.store.prisma, wetx, where, denver("2026-11-23T09:01"))).toBe(0);
    const posted = await t.store.prisma.notification.findMany({ where: { key: { startsWith: "digest:" } } });
    expect(posted.map((n) => [n.key, (n.target as { channelName: string }).channelName])).toEqual([
      ["digest:wetx:2026-11-16:terminal", "#support-leads"],
    ]);
    expect(posted[0]?.payload).toMatchObject({
      type: "digest",
      text: expect.stringContaining("Weekly SLA digest"),
      chart: { week: "2026-W47", groups: [expect.objectContaining({ compliance: 95, before: 80 })] },
    });
  });

  it("answers /ticket digest for agents only", async () => {
    clock.current = denver("2026-11-23T10:00");
    expect(await tickets.digest(actor("alice", true))).toContain("First response · standard: 19 met");
    await expect(tickets.digest(actor("carol", false))).rejects.toThrow(
      "Only the support team can ask for the SLA digest.",
    );
  });

  it("posts last week's digest, chart included, where an agent typed `/ticket digest post`, once per request", async () => {
    clock.current = denver("2026-11-23T10:00");
    const here = { platform: "slack" as const, workspaceId: "slack:T1", channelId: "C0SUPPORT" };
    const asked = () => t.store.prisma.notification.findMany({ where: { key: { contains: ":asked:" } } });
    expect(await tickets.postDigest(actor("alice", true), here, "slack:trigger-1")).toBe(true);
    // Slack's retry of the same command (its trigger id) writes nothing more.
    expect(await tickets.postDigest(actor("alice", true), here, "slack:trigger-1")).toBe(false);
    const rows = await asked();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "digest", target: here });
    expect(rows[0]?.payload).toMatchObject({
      type: "digest",
      text: expect.stringContaining("First response · standard: 19 met"),
      chart: { week: "2026-W47", groups: [expect.objectContaining({ compliance: 95, before: 80 })] },
    });
    // A customer is refused by the service's rule, before the adapter is asked whether it can post there.
    let askedWhere = false;
    const canPost = async () => {
      askedWhere = true;
      return undefined;
    };
    await expect(tickets.postDigest(actor("carol", false), here, "slack:trigger-2", canPost)).rejects.toThrow(
      "Only the support team can ask for the SLA digest.",
    );
    expect(askedWhere).toBe(false);
    // Where the bot cannot post, the adapter's words are the answer.
    const cannot = async () => "I am not in this channel, so I can't post the digest here.";
    await expect(tickets.postDigest(actor("alice", true), here, "slack:trigger-3", cannot)).rejects.toThrow(
      "I am not in this channel",
    );
    expect(await asked()).toHaveLength(1);
  });
});
