import type { TargetRule } from "./schema.js";
import type { TargetName, TicketFacts } from "./types.js";

/** A severity change in force from `ms` (the log's order decides between equal instants). */
export interface SeverityChange {
  ms: number;
  severity: string;
}

/** The rule a target follows from `from` on: the opening's, then one per change that picks another rule. */
export interface RulePhase {
  rule: TargetRule | undefined;
  from: number;
  /** True when this phase began with a change to a more urgent severity. */
  upgrade: boolean;
}

export interface PhaseInput {
  severities: { key: string }[];
  /** Facts in force at the target's start (severity included). */
  factsAt: (ms: number) => TicketFacts;
  changes: SeverityChange[];
  select: (facts: TicketFacts) => TargetRule | undefined;
}

/**
 * The rules a target follows over [start, stop). A severity change counts only while the target still
 * runs: a change at or after its stop leaves it alone (a downgrade never makes a met target unmet), and
 * a change that selects the same rule does not restart its clock.
 */
export function rulePhases(input: PhaseInput, start: number, stop: number | null): RulePhase[] {
  const first = input.factsAt(start);
  const phases: RulePhase[] = [{ rule: input.select(first), from: start, upgrade: false }];
  let severity = first.severity;
  for (const change of input.changes) {
    if (change.ms <= start || (stop !== null && change.ms >= stop)) continue;
    const rule = input.select({ ...first, severity: change.severity });
    const rank = (key: string) => input.severities.findIndex((s) => s.key === key);
    const upgrade = rank(change.severity) < rank(severity);
    severity = change.severity;
    if (rule !== phases[phases.length - 1]!.rule) phases.push({ rule, from: change.ms, upgrade });
  }
  return phases;
}

export type { TargetName };
