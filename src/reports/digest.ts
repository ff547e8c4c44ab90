import { DateTime } from "luxon";
import type { Destination, MessageBody } from "../chat/port.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { weekdayNumber } from "../policy/chatSettings.js";
import { evaluate } from "../policy/index.js";
import type { Policy, TargetName } from "../policy/types.js";
import { enqueueNotifications } from "../store/outbox.js";
import type { LoggedEvent } from "../tickets/events.js";
import { policyHistory } from "../tickets/history.js";
import { loadLogs } from "../tickets/log.js";
import { type ComplianceRow, complianceReport } from "./compliance.js";
import { type DigestChart, digestChart, targetWords } from "./digestChart.js";

/**
 * The weekly SLA digest: for the tickets opened in one local week (Monday 00:00 to Monday 00:00 in the
 * policy's zone), the same numbers as `escalator report --from <monday> --to <next monday> --by plan`
 * (the same complianceReport over the same tickets), the worst breaches with links, and the trend against
 * the week before. As chat text (`digestText`) and as a chart's data (`chart`, drawn into a PNG by each
 * chat adapter at send time: see chartImage.ts).
 */
export interface WeeklyDigest {
  policyName: string;
  from: DateTime;
  to: DateTime;
  tickets: number;
  rows: ComplianceRow[];
  /** The week before, per target and plan (the chart's second bar). */
  previousRows: ComplianceRow[];
  /** Compliance per target this week and the week before, over every plan. */
  trend: { target: TargetName; now: number | null; before: number | null }[];
  worst: { number: number; target: TargetName; lateMinutes: number; link: string | null }[];
}

/** The Monday 00:00 (policy zone) of the week before the one `now` is in: the last whole week. */
export function lastWeekStart(policy: Policy, now: DateTime): DateTime {
  return now.setZone(policy.zone).startOf("week").minus({ weeks: 1 });
}

export async function weeklyDigest(
  prisma: PrismaClient,
  policy: Policy,
  from: DateTime,
  now: DateTime,
): Promise<WeeklyDigest> {
  const to = from.plus({ weeks: 1 });
  const asOf = DateTime.min(to, now);
  const week = await weekLogs(prisma, policy, from, to);
  const before = await weekLogs(prisma, policy, from.minus({ weeks: 1 }), from);
  const rows = complianceReport(policy, [...week.values()], asOf, ["plan"]);
  const totals = complianceReport(policy, [...week.values()], asOf, []);
  const previous = complianceReport(policy, [...before.values()], from, []);
  const previousRows = complianceReport(policy, [...before.values()], from, ["plan"]);
  const trend = totals.map((r) => ({
    target: r.target,
    now: r.compliance,
    before: previous.find((p) => p.target === r.target)?.compliance ?? null,
  }));
  const worst = await worstBreaches(prisma, policy, week, asOf);
  return { policyName: policy.name, from, to, tickets: week.size, rows, previousRows, trend, worst };
}

async function weekLogs(prisma: PrismaClient, policy: Policy, from: DateTime, to: DateTime) {
  const tickets = await prisma.ticket.findMany({
    where: { policyId: policy.id, openedAt: { gte: from.toJSDate(), lt: to.toJSDate() } },
    select: { id: true },
  });
  return (
    await loadLogs(
      prisma,
      tickets.map((t) => t.id),
    )
  ).logs;
}

/** The five breaches that were (or still are) the most overdue, with a link to each ticket's thread. */
async function worstBreaches(
  prisma: PrismaClient,
  policy: Policy,
  logs: Map<string, LoggedEvent[]>,
  asOf: DateTime,
) {
  const breaches = [...logs].flatMap(([ticketId, log]) =>
    evaluate(policy, policyHistory(log, policy.zone), asOf)
      .targets.filter((t) => t.state === "breached" && t.due)
      .map((t) => ({
        ticketId,
        target: t.target,
        lateMinutes: Math.round((t.stoppedAt ?? asOf).diff(t.due!, "minutes").minutes),
      })),
  );
  const worst = breaches.sort((a, b) => b.lateMinutes - a.lateMinutes).slice(0, 5);
  const ids = worst.map((w) => w.ticketId);
  const [rows, links] = await Promise.all([
    prisma.ticket.findMany({ where: { id: { in: ids } }, select: { id: true, number: true } }),
    prisma.chatLink.findMany({
      where: { ticketId: { in: ids }, kind: "root" },
      select: { ticketId: true, permalink: true },
    }),
  ]);
  return worst.map((w) => ({
    number: rows.find((r) => r.id === w.ticketId)?.number ?? 0,
    target: w.target,
    lateMinutes: w.lateMinutes,
    link: links.find((l) => l.ticketId === w.ticketId)?.permalink ?? null,
  }));
}

const weekSpan = (d: WeeklyDigest) =>
  `${d.from.toFormat("ccc d LLL")} – ${d.to.minus({ days: 1 }).toFormat("ccc d LLL yyyy")}`;

/** The digest's chart data (null when no ticket with an SLA was opened that week). */
export function digestChartOf(d: WeeklyDigest): DigestChart | null {
  const heading = { policyName: d.policyName, span: `tickets opened ${weekSpan(d)}` };
  return digestChart(heading, d.from.toFormat("kkkk-'W'WW"), d.rows, d.previousRows);
}

/** The digest as chat text (`*bold*`; no user-written text in it, so nothing to escape). */
export function digestText(d: WeeklyDigest): string {
  const span = weekSpan(d);
  const lines = [`📊 *Weekly SLA digest — ${d.policyName}*, tickets opened ${span} (${d.tickets})`];
  for (const r of d.rows) {
    const goal =
      r.goal === null
        ? ""
        : ` · goal ${r.goal}% ${r.meetsGoal === false ? "❌ missed" : r.meetsGoal ? "✅" : ""}`;
    const pct = r.compliance === null ? "—" : `${r.compliance}%`;
    lines.push(
      `• ${targetWords[r.target]} · ${r.plan}: ${r.met} met, ${r.breached} breached, ${r.open} open — ${pct}${goal}`,
    );
  }
  if (d.rows.length === 0) lines.push("• No ticket with an SLA was opened that week.");
  const trend = d.trend.map((t) => `${targetWords[t.target]} ${trendWords(t.now, t.before)}`);
  if (trend.length) lines.push(`Trend vs the week before: ${trend.join("; ")}`);
  if (d.worst.length) {
    lines.push("Worst breaches:");
    for (const w of d.worst)
      lines.push(
        `• #${w.number} ${targetWords[w.target].toLowerCase()} ${late(w.lateMinutes)} late${w.link ? ` — ${w.link}` : ""}`,
      );
  }
  return lines.join("\n");
}

function trendWords(now: number | null, before: number | null): string {
  if (now === null) return "—";
  if (before === null) return `${now}% (no decided tickets the week before)`;
  const delta = Math.round((now - before) * 10) / 10;
  return `${now}% (${delta > 0 ? "▲" : delta < 0 ? "▼" : "="} ${Math.abs(delta)} pts vs ${before}%)`;
}

function late(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The instant this week's digest is due (its weekday and local time), for the scheduler's check. */
export function digestDueAt(policy: Policy, now: DateTime): DateTime | null {
  const digest = policy.chat.digest;
  if (!digest) return null;
  const [hour, minute] = digest.time.split(":").map(Number);
  return now
    .setZone(policy.zone)
    .startOf("week")
    .plus({ days: weekdayNumber(digest.weekday) - 1 })
    .set({ hour: hour!, minute: minute! });
}

/**
 * Posts last week's digest to the policy's digest channel once its weekday and time have come (within a
 * day, so a long outage does not post an old digest late). The outbox key (policy, week, platform) makes it
 * once across ticks, restarts and replicas.
 */
export async function postWeeklyDigest(
  prisma: PrismaClient,
  policy: Policy,
  where: { platform: Destination["platform"]; workspaceId: string },
  now: DateTime,
): Promise<number> {
  const due = digestDueAt(policy, now);
  const channelName = policy.chat.digest?.channel;
  if (!due || !channelName || now < due || now > due.plus({ days: 1 })) return 0;
  const key = `digest:${policy.id}:${lastWeekStart(policy, now).toISODate()}:${where.platform}`;
  return enqueueLastWeekDigest(prisma, policy, key, { ...where, channelName }, now);
}

/**
 * Writes last week's digest (its text and its chart's data, drawn by each adapter at send time) to the outbox
 * for `destination`, once per `key`: a key already there is skipped before any counting is done. The weekly
 * post and `/ticket digest post` both go through here.
 */
export async function enqueueLastWeekDigest(
  prisma: PrismaClient,
  policy: Policy,
  key: string,
  destination: Destination,
  now: DateTime,
): Promise<number> {
  if (await prisma.notification.findUnique({ where: { key }, select: { id: true } })) return 0;
  const digest = await weeklyDigest(prisma, policy, lastWeekStart(policy, now), now);
  const body: MessageBody = { type: "digest", text: digestText(digest), chart: digestChartOf(digest) };
  return enqueueNotifications(
    prisma,
    [{ key, kind: "digest", target: { ...destination }, payload: body as never }],
    now.toJSDate(),
  );
}
