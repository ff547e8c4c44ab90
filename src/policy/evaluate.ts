import { DateTime } from "luxon";
import { cachedZone } from "../zone.js";
import { isOpenMs } from "./business-time.js";
import { escalationActions, inactivityActions } from "./escalations.js";
import {
  agentRepliesOf,
  type Cycle,
  currentFacts,
  eventsUntil,
  pausesOf,
  severityChangesOf,
  splitCycles,
} from "./history.js";
import { type ComputedTarget, type CycleContext, computeTarget, targetActions, toStatus } from "./targets.js";
import type { Evaluation, PlannedAction, Policy, TicketHistory } from "./types.js";

/**
 * The one function that turns a policy and a ticket's log into deadlines and actions. Pure: the
 * same (policy, history, now) always gives the same answer, and a later `now` over the same log
 * gives the same keys for the same actions, which is what lets the outbox page exactly once.
 */
export function evaluate(policy: Policy, history: TicketHistory, now: DateTime): Evaluation {
  const events = eventsUntil(history, now);
  const cycles = splitCycles(history.openedAt.toMillis(), events);
  const cycle = cycles[cycles.length - 1]!;
  const changes = severityChangesOf(events);
  const opening = currentFacts(
    policy,
    events.filter((e) => e.type !== "severityChanged"),
  );
  const ctx: CycleContext = {
    policy,
    facts: currentFacts(policy, events),
    factsAt: (ms) => {
      let severity = opening.severity;
      for (const change of changes) if (change.ms <= ms) severity = change.severity;
      return { ...opening, severity };
    },
    changes,
    openedInBusinessHours: isOpenMs(policy.calendar, cycle.start),
    cycle,
    pauses: pausesOf(cycle),
    now: now.toMillis(),
  };
  const targets = cycleTargets(ctx);
  const timeline = [
    ...targets.flatMap((t) => targetActions(ctx, t)),
    ...escalationActions(ctx, targets),
    ...inactivityActions(ctx),
  ].sort(byInstantThenKey);
  const future = timeline.filter((a) => a.at.toMillis() > ctx.now);
  return {
    cycle: cycle.number,
    facts: ctx.facts,
    openedInBusinessHours: ctx.openedInBusinessHours,
    targets: currentTargets(targets).map((t) => toStatus(ctx, t)),
    actionsDue: timeline.filter((a) => a.at.toMillis() <= ctx.now),
    timeline,
    nextCheckAt: future[0]
      ? DateTime.fromMillis(future[0].at.toMillis(), { zone: cachedZone(policy.zone) })
      : null,
  };
}

/** First response and resolution once per cycle; a next-update cadence after each agent reply. */
function cycleTargets(ctx: CycleContext): ComputedTarget[] {
  const { cycle } = ctx;
  const replies = agentRepliesOf(cycle);
  const targets = [
    computeTarget(ctx, "firstResponse", cycle.start, replies[0] ?? cycle.end),
    computeTarget(ctx, "resolution", cycle.start, cycle.end),
  ];
  replies.forEach((reply, i) => {
    if (cycle.end !== null && reply >= cycle.end) return;
    targets.push(computeTarget(ctx, "nextUpdate", reply, replies[i + 1] ?? cycle.end, i + 1));
  });
  return targets.filter((t): t is ComputedTarget => t !== null);
}

/** Earlier next-update cadences stay in the timeline (their breaches happened) but not in the status. */
function currentTargets(targets: ComputedTarget[]): ComputedTarget[] {
  const updates = targets.filter((t) => t.name === "nextUpdate");
  const latest = updates[updates.length - 1];
  return targets.filter((t) => t.name !== "nextUpdate" || t === latest);
}

function byInstantThenKey(a: PlannedAction, b: PlannedAction): number {
  return a.at.toMillis() - b.at.toMillis() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export type { Cycle };
