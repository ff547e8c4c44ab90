import type { DateTime } from "luxon";
import { isOpenMs } from "./business-time.js";
import { evaluate } from "./evaluate.js";
import { selectRule } from "./targets.js";
import type { PlannedAction, Policy, TargetName, TargetStatus, TicketFacts } from "./types.js";

export interface SimulatedDeadline {
  target: TargetName;
  /** null when the policy sets no SLA for this ticket ("none"). */
  due: DateTime | null;
  warnAt: DateTime | null;
  within: string;
  goal: number | null;
}

export interface Simulation {
  openedAt: DateTime;
  facts: TicketFacts;
  openedInBusinessHours: boolean;
  deadlines: SimulatedDeadline[];
  /** Everything the policy would do if nobody answered, in order. */
  timeline: PlannedAction[];
}

/** A ticket opened at `openedAt` that nobody ever answers: its deadlines and every step the policy takes. */
export function simulate(policy: Policy, facts: Partial<TicketFacts>, openedAt: DateTime): Simulation {
  const opened = { type: "opened" as const, at: openedAt, ...facts };
  const evaluation = evaluate(policy, { openedAt, events: [opened] }, openedAt);
  const inHours = isOpenMs(policy.calendar, openedAt.toMillis());
  const deadlines = (["firstResponse", "resolution"] as const).flatMap((name): SimulatedDeadline[] => {
    const status = evaluation.targets.find((t) => t.target === name);
    if (status) return [deadlineOf(status)];
    const rule = selectRule(policy, name, evaluation.facts, inHours);
    return rule
      ? [{ target: name, due: null, warnAt: null, within: rule.within.text, goal: rule.goal ?? null }]
      : [];
  });
  return {
    openedAt,
    facts: evaluation.facts,
    openedInBusinessHours: inHours,
    deadlines,
    timeline: evaluation.timeline,
  };
}

function deadlineOf(status: TargetStatus): SimulatedDeadline {
  return {
    target: status.target,
    due: status.due,
    warnAt: status.warnAt,
    within: status.within,
    goal: status.goal,
  };
}
