import type { TargetName } from "../policy/types.js";
import type { ComplianceRow } from "./compliance.js";

/**
 * What the digest's chart shows, as plain JSON numbers and words: it travels in the outbox row (the
 * notification payload), and each chat adapter draws the PNG from it at send time, so a retried send draws
 * the same image and no image bytes are stored.
 */
export interface DigestChart {
  /** The policy's name, e.g. "WETx Support Policy" (the heading). */
  policyName: string;
  /** Which tickets, e.g. "tickets opened Mon 16 Nov – Sun 22 Nov 2026" (under the heading). */
  span: string;
  /** The ISO week of the digest, e.g. "2026-W47" (file names). */
  week: string;
  /** One group per target and plan, in the digest's (and `escalator report`'s) order. */
  groups: DigestChartGroup[];
}

export interface DigestChartGroup {
  /** In words, e.g. "First response · standard". */
  label: string;
  target: TargetName;
  plan: string;
  met: number;
  breached: number;
  open: number;
  /** This week's compliance in percent (null: nothing decided yet). */
  compliance: number | null;
  /** The same target and plan the week before. */
  before: number | null;
  /** The policy's goal in percent, where it has one. */
  goal: number | null;
}

export const targetWords: Record<TargetName, string> = {
  firstResponse: "First response",
  nextUpdate: "Next update",
  resolution: "Resolution",
};

/**
 * The chart's data: this week's rows (the same rows as the text and `escalator report --by plan`) beside the
 * previous week's row of the same target and plan. Null when there is nothing to draw.
 */
export function digestChart(
  heading: { policyName: string; span: string },
  week: string,
  rows: ComplianceRow[],
  previous: ComplianceRow[],
): DigestChart | null {
  if (rows.length === 0) return null;
  const groups = rows.map((r) => ({
    label: `${targetWords[r.target]} · ${r.plan ?? "any plan"}`,
    target: r.target,
    plan: r.plan ?? "",
    met: r.met,
    breached: r.breached,
    open: r.open,
    compliance: r.compliance,
    before: previous.find((p) => p.target === r.target && p.plan === r.plan)?.compliance ?? null,
    goal: r.goal,
  }));
  return { ...heading, week, groups };
}
