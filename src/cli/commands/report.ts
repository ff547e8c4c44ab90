import type { Command } from "commander";
import { DateTime } from "luxon";
import type { Policy } from "../../policy/types.js";
import { ComplianceTally, type Dimension, dimensions } from "../../reports/compliance.js";
import { type Format, formatRows, formats } from "../../reports/table.js";
import { ticketLogBatches } from "../../reports/ticketLogs.js";
import type { Store } from "../../store/db.js";
import { runOperatorCommand } from "../store.js";

export interface ReportOptions {
  from?: string;
  to?: string;
  by: string;
  format: string;
  policy?: string;
  at?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command("report")
    .description("SLA compliance per target, severity, channel and plan, against the policy's goals")
    .option("--from <iso>", "tickets opened at or after this instant (default: 30 days before --to)")
    .option("--to <iso>", "tickets opened before this instant, evaluated as of then (default: now)")
    .option("--by <dimensions>", `group by any of ${dimensions.join(",")}`, "severity,channel,plan")
    .option("--format <format>", `${formats.join(" | ")}`, "table")
    .option("--policy <file>", "policy file (default: POLICY_FILE)")
    .option("--at <iso>", "evaluate as of this instant (default: now, or the data's latest instant if later)")
    .action((options: ReportOptions) =>
      runOperatorCommand(
        { command: "report", options: { ...options } },
        options.policy,
        async ({ store, policy }) => complianceText(store, policy, options, await dataNow(store, options.at)),
      ),
    );
}

/**
 * The instant a report is made at: --at, or now — unless the data lives later (the terminal chat's
 * simulated clock runs ahead), then the latest instant it holds, so nothing is counted open that was not.
 */
export async function dataNow(store: Store, at: string | undefined): Promise<DateTime> {
  if (at) return DateTime.fromISO(at, { setZone: true });
  const latest = await store.prisma.ticketEvent.aggregate({ _max: { at: true } });
  const last = latest._max.at ? DateTime.fromJSDate(latest._max.at) : undefined;
  const now = DateTime.now();
  return last && last > now ? last : now;
}

/** The report as text, or what to type instead. `now` is the edge's clock. */
export async function complianceText(
  store: Store,
  policy: Policy,
  options: ReportOptions,
  now: DateTime,
): Promise<{ ok: true; output: string } | { ok: false; error: string }> {
  if (!now.isValid) return { ok: false, error: "--at takes an ISO instant such as 2026-11-20T18:30" };
  const to = options.to ? DateTime.fromISO(options.to, { zone: policy.zone }) : now.setZone(policy.zone);
  const from = options.from ? DateTime.fromISO(options.from, { zone: policy.zone }) : to.minus({ days: 30 });
  if (!to.isValid || !from.isValid)
    return { ok: false, error: "--from and --to take ISO instants such as 2026-11-01 or 2026-11-20T18:30" };
  const by = options.by
    .split(",")
    .map((d) => d.trim())
    .filter(Boolean);
  const unknown = by.filter((d) => !(dimensions as readonly string[]).includes(d));
  if (unknown.length)
    return { ok: false, error: `--by takes ${dimensions.join(", ")}; not ${unknown.join(", ")}` };
  if (!(formats as string[]).includes(options.format))
    return { ok: false, error: `--format must be one of ${formats.join(", ")}` };
  const tally = new ComplianceTally(policy, DateTime.min(to, now), by as Dimension[]);
  const warn = (text: string) => process.stderr.write(text);
  for await (const logs of ticketLogBatches(store, policy.id, { from, to }, warn)) tally.add(logs);
  const rows = tally.rows();
  const columns = ["target", ...by, "tickets", "met", "breached", "open", "compliance", "goal", "meetsGoal"];
  const printable = rows.map((r) => ({
    ...r,
    compliance: options.format === "table" && r.compliance !== null ? `${r.compliance}%` : r.compliance,
    goal: options.format === "table" && r.goal !== null ? `${r.goal}%` : r.goal,
    meetsGoal:
      r.meetsGoal === null
        ? null
        : options.format === "json"
          ? (r.meetsGoal as never)
          : r.meetsGoal
            ? "yes"
            : "NO",
  }));
  const header =
    options.format === "table"
      ? `${policy.name}: tickets opened ${from.toFormat("yyyy-LL-dd HH:mm")} – ${to.toFormat("yyyy-LL-dd HH:mm ZZZZ")} (${tally.tickets})\n`
      : "";
  return { ok: true, output: header + formatRows(printable as never, columns, options.format as Format) };
}
