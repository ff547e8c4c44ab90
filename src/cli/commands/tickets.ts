import type { Command } from "commander";
import { DateTime } from "luxon";
import type { Policy } from "../../policy/types.js";
import { type Format, formatRows } from "../../reports/table.js";
import type { Store } from "../../store/db.js";
import { runOperatorCommand } from "../store.js";

export interface ExportOptions {
  format: string;
  from?: string;
  to?: string;
  status?: string;
  workspace?: string;
}

const statuses = ["open", "responded", "waiting", "resolved", "closed"];
const columns = [
  "number",
  "workspace",
  "summary",
  "severity",
  "channel",
  "plan",
  "category",
  "status",
  "requester",
  "assignee",
  "openedAt",
  "respondedAt",
  "resolvedAt",
  "closedAt",
  "resolution",
];

export function registerTicketsCommands(program: Command): void {
  const tickets = program.command("tickets").description("tickets in the store");
  tickets
    .command("export")
    .description("every ticket as CSV or JSON (instants in the policy's zone)")
    .option("--format <format>", "csv | json", "csv")
    .option("--from <iso>", "opened at or after")
    .option("--to <iso>", "opened before")
    .option("--status <list>", `only these statuses (${statuses.join(",")})`)
    .option("--workspace <id>", "only this workspace (e.g. slack:T0123, local)")
    .action((options: ExportOptions) =>
      runOperatorCommand(
        { command: "tickets export", options: { ...options } },
        undefined,
        ({ store, policy }) => exportTickets(store, policy, options),
      ),
    );
}

export async function exportTickets(
  store: Store,
  policy: Policy,
  options: ExportOptions,
): Promise<{ ok: true; output: string } | { ok: false; error: string }> {
  if (options.format !== "csv" && options.format !== "json")
    return { ok: false, error: "--format must be csv or json" };
  const wanted = options.status?.split(",").map((s) => s.trim()) ?? [];
  const bad = wanted.filter((s) => !statuses.includes(s));
  if (bad.length) return { ok: false, error: `--status takes ${statuses.join(", ")}; not ${bad.join(", ")}` };
  const from = options.from ? DateTime.fromISO(options.from, { zone: policy.zone }) : undefined;
  const to = options.to ? DateTime.fromISO(options.to, { zone: policy.zone }) : undefined;
  if ((from && !from.isValid) || (to && !to.isValid))
    return { ok: false, error: "--from and --to take ISO instants such as 2026-11-01" };
  const rows = await store.prisma.ticket.findMany({
    where: {
      ...(wanted.length ? { status: { in: wanted } } : {}),
      ...(options.workspace ? { workspaceId: options.workspace } : {}),
      openedAt: { ...(from ? { gte: from.toJSDate() } : {}), ...(to ? { lt: to.toJSDate() } : {}) },
    },
    orderBy: [{ workspaceId: "asc" }, { number: "asc" }],
  });
  const instant = (d: Date | null) => (d ? DateTime.fromJSDate(d, { zone: policy.zone }).toISO() : null);
  const records = rows.map((t) => ({
    number: t.number,
    workspace: t.workspaceId,
    summary: t.summary,
    severity: t.severity,
    channel: t.channel,
    plan: t.plan,
    category: t.category,
    status: t.status,
    requester: t.requesterId,
    assignee: t.assigneeId,
    openedAt: instant(t.openedAt),
    respondedAt: instant(t.respondedAt),
    resolvedAt: instant(t.resolvedAt),
    closedAt: instant(t.closedAt),
    resolution: t.resolution,
  }));
  return { ok: true, output: formatRows(records, columns, options.format as Format) };
}
