import type { DateTime } from "luxon";
import { evaluate } from "../policy/index.js";
import { TARGET_NAMES } from "../policy/schema.js";
import type { Policy, TargetName, TargetStatus } from "../policy/types.js";
import type { LoggedEvent } from "../tickets/events.js";
import { policyHistory } from "../tickets/history.js";

export const dimensions = ["severity", "channel", "plan", "category"] as const;
export type Dimension = (typeof dimensions)[number];

export interface ComplianceRow {
  target: TargetName;
  severity?: string;
  channel?: string;
  plan?: string;
  category?: string;
  tickets: number;
  met: number;
  breached: number;
  open: number;
  /** Met ÷ (met + breached), in percent; null while nothing has been decided. */
  compliance: number | null;
  /** The policy's goal for this target, where it has one (WETx texts: 95 %). */
  goal: number | null;
  meetsGoal: boolean | null;
}

/**
 * SLA compliance as of `asOf`: each ticket's current cycle evaluated by the policy, counted per target
 * and per the chosen dimensions. A target that is still running (or paused) counts as open, not as met.
 */
export function complianceReport(
  policy: Policy,
  logs: Iterable<LoggedEvent[]>,
  asOf: DateTime,
  by: Dimension[],
): ComplianceRow[] {
  const tally = new ComplianceTally(policy, asOf, by);
  tally.add(logs);
  return tally.rows();
}

/**
 * What compliance counts of one ticket as of `asOf`: the targets of its current cycle that have an SLA,
 * one status each, and its facts (severity, channel …) to group them by.
 */
export function countedTargets(
  policy: Policy,
  log: LoggedEvent[],
  asOf: DateTime,
): { facts: Record<Dimension, string>; counted: TargetStatus[] } {
  const evaluation = evaluate(policy, policyHistory(log, policy.zone), asOf);
  const seen = new Set<TargetName>();
  const counted: TargetStatus[] = [];
  for (const status of evaluation.targets) {
    if (status.cycle !== evaluation.cycle || seen.has(status.target)) continue;
    if (!status.due && status.state !== "paused" && status.state !== "met") continue; // no SLA
    seen.add(status.target);
    counted.push(status);
  }
  return { facts: evaluation.facts, counted };
}

/** A counted target still running or paused is open: not met, not breached. */
export function outcomeOf(status: TargetStatus): "met" | "breached" | "open" {
  return status.state === "met" ? "met" : status.state === "breached" ? "breached" : "open";
}

/** complianceReport counted a batch of tickets at a time, so no more than one batch's logs are in memory. */
export class ComplianceTally {
  private readonly groups = new Map<string, ComplianceRow>();
  /** Tickets counted so far. */
  tickets = 0;

  constructor(
    private readonly policy: Policy,
    private readonly asOf: DateTime,
    private readonly by: Dimension[],
  ) {}

  add(logs: Iterable<LoggedEvent[]>): void {
    const { policy, by, groups } = this;
    for (const log of logs) {
      this.tickets++;
      const { facts, counted } = countedTargets(policy, log, this.asOf);
      for (const status of counted) {
        const key = [status.target, ...by.map((d) => facts[d])].join("\u0000");
        const row = groups.get(key) ?? emptyRow(status.target, by, facts, status.goal);
        row.tickets++;
        row[outcomeOf(status)]++;
        groups.set(key, row);
      }
    }
  }

  rows(): ComplianceRow[] {
    return [...this.groups.values()].map(finish).sort(compareRows(this.by));
  }
}

function emptyRow(
  target: TargetName,
  by: Dimension[],
  facts: Record<Dimension, string>,
  goal: number | null,
): ComplianceRow {
  const row: ComplianceRow = {
    target,
    tickets: 0,
    met: 0,
    breached: 0,
    open: 0,
    compliance: null,
    goal,
    meetsGoal: null,
  };
  for (const d of by) row[d] = facts[d];
  return row;
}

function finish(row: ComplianceRow): ComplianceRow {
  const decided = row.met + row.breached;
  const compliance = decided === 0 ? null : Math.round((row.met / decided) * 1000) / 10;
  const meetsGoal = compliance === null || row.goal === null ? null : compliance >= row.goal;
  return { ...row, compliance, meetsGoal };
}

function compareRows(by: Dimension[]) {
  return (a: ComplianceRow, b: ComplianceRow) =>
    TARGET_NAMES.indexOf(a.target) - TARGET_NAMES.indexOf(b.target) ||
    by.reduce((acc, d) => acc || String(a[d]).localeCompare(String(b[d])), 0);
}
