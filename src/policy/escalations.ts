import { DateTime } from "luxon";
import { cachedZone } from "../zone.js";
import { isOpenMs } from "./business-time.js";
import type { BusinessCalendar } from "./calendar.js";
import { addSpan, dueAfter, spanMsBefore, subtractSpan } from "./deadline.js";
import type { Span } from "./duration.js";
import type { EscalationActionSpec, EscalationStep } from "./schema.js";
import { type ComputedTarget, type CycleContext, matchesConditions, targetKey } from "./targets.js";
import type { EscalationAction, PlannedAction } from "./types.js";

/**
 * Escalation steps of the current cycle. A step from the opening runs while the cycle is unresolved;
 * a step from a target's due instant or breach runs while that target is still unmet. Future steps
 * are listed as if nobody acts, so the scheduler knows the next instant to look again.
 */
export function escalationActions(ctx: CycleContext, targets: ComputedTarget[]): PlannedAction[] {
  const actions: PlannedAction[] = [];
  for (const step of ctx.policy.escalations) {
    if (!matchesConditions(step.when, ctx.facts, ctx.openedInBusinessHours)) continue;
    if (step.from === "opened") {
      const start = conditionMetSince(ctx, step);
      const at = step.after ? addSpan(ctx.policy.calendar, start, step.after) : start;
      const unresolved = ctx.cycle.end === null || at < ctx.cycle.end;
      if (unresolved && hoursAllow(ctx, step, at))
        actions.push(planned(ctx, step, `c${ctx.cycle.number}`, at));
      continue;
    }
    // A target whose rule says `escalate: false` is counted in reports, never escalated (WETx phone calls).
    for (const target of targets.filter((t) => t.name === step.target && t.rule.escalate !== false)) {
      // A step whose severity came later (a late case raised to Critical) runs from that change, not before.
      const instant = stepInstant(ctx, step, target);
      const at = instant === null ? null : Math.max(instant, conditionMetSince(ctx, step));
      const unmet = at !== null && (target.stop === null || at < target.stop);
      if (unmet && hoursAllow(ctx, step, at)) actions.push(planned(ctx, step, targetKey(ctx, target), at));
    }
  }
  return actions;
}

/**
 * When a step's conditions started to hold. Only the severity changes within a cycle, so a step that asks
 * for a severity counts from the change that gave it (a case raised to Severity 1 at 14:00 escalates at
 * 14:00, not "late" from its opening at 09:00).
 */
function conditionMetSince(ctx: CycleContext, step: EscalationStep): number {
  const wanted = step.when?.severity;
  if (wanted === undefined) return ctx.cycle.start;
  let since = ctx.cycle.start;
  let held = wanted.includes(ctx.factsAt(ctx.cycle.start).severity);
  for (const change of ctx.changes) {
    if (change.ms <= ctx.cycle.start) continue;
    const holds = wanted.includes(change.severity);
    if (holds && !held) since = change.ms;
    held = holds;
  }
  return since;
}

function stepInstant(ctx: CycleContext, step: EscalationStep, target: ComputedTarget): number | null {
  if (target.due === null) return null;
  const offset = step.after;
  if (!offset || offset.ms >= 0)
    return offset ? addSpan(ctx.policy.calendar, target.due, offset) : target.due;
  // Before the due instant counts on the target's own clock, like a warning does.
  const back = spanMsBefore(ctx.policy.calendar, target.due, {
    ...offset,
    ms: -offset.ms,
    days: offset.days === undefined ? undefined : -offset.days,
  });
  const budget = { ...target.budget, ms: Math.max(0, target.budget.ms - back) };
  return dueAfter(ctx.policy.calendar, target.start, budget, target.pauses);
}

/**
 * `afterHours` is judged at the opening of the cycle unless the step says `afterHoursAt: step` (then at
 * its own instant). WES reasons from how a ticket came in: one opened after hours is paged on-call, and
 * its missed response is told to the IT manager even if the breach falls in the morning.
 */
function hoursAllow(ctx: CycleContext, step: EscalationStep, at: number): boolean {
  const afterHours = step.when?.afterHours;
  if (afterHours === undefined) return true;
  const open =
    step.when?.afterHoursAt === "step" ? isOpenMs(ctx.policy.calendar, at) : ctx.openedInBusinessHours;
  return afterHours === !open;
}

function planned(ctx: CycleContext, step: EscalationStep, scope: string, at: number): PlannedAction {
  return {
    key: `${scope}:esc:${step.id}`,
    at: DateTime.fromMillis(at, { zone: cachedZone(ctx.policy.zone) }),
    kind: "escalate",
    step: step.id,
    actions: step.actions.map(toAction),
    announce: step.announce,
  };
}

function toAction(spec: EscalationActionSpec): EscalationAction {
  if ("postToChannel" in spec) return { type: "postToChannel", channel: spec.postToChannel };
  if ("pageOncall" in spec) return { type: "pageOncall", schedule: spec.pageOncall };
  if ("raiseSeverity" in spec) return { type: "raiseSeverity", to: spec.raiseSeverity };
  if ("tellCustomer" in spec) return { type: "tellCustomer", text: spec.tellCustomer };
  return { type: "notify", ...spec.notify };
}

/**
 * Auto-resolve after a wait on the customer with no reply, with a reminder before it. Each wait has
 * its own keys, so a second wait in the same cycle gets its own reminder.
 */
export function inactivityActions(ctx: CycleContext): PlannedAction[] {
  const rule = ctx.policy.inactivity;
  if (!rule) return [];
  const calendar = ctx.policy.calendar;
  const zone = cachedZone(ctx.policy.zone);
  return ctx.pauses.flatMap((pause, i): PlannedAction[] => {
    const key = `c${ctx.cycle.number}:autoResolve#${i + 1}`;
    const waitingSince = DateTime.fromMillis(pause.start, { zone });
    const resolveAt = addSpan(calendar, pause.start, rule.autoResolveAfter);
    const actions: PlannedAction[] = [];
    if (rule.reminderBefore) {
      const remindAt = reminderInstant(
        calendar,
        pause.start,
        resolveAt,
        rule.autoResolveAfter,
        rule.reminderBefore,
      );
      if (remindAt < pause.end) {
        const at = DateTime.fromMillis(remindAt, { zone });
        actions.push({ key: `${key}:reminder`, at, kind: "autoResolveReminder", waitingSince });
      }
    }
    if (resolveAt < pause.end) {
      actions.push({ key, at: DateTime.fromMillis(resolveAt, { zone }), kind: "autoResolve", waitingSince });
    }
    return actions;
  });
}

/**
 * The reminder before an auto-resolve: on the wall clock it is the resolve instant moved back (so "4 days"
 * with "1 day" before reminds at the same local time 3 dates after the wait began); business spans count
 * back on the business clock. Never before the wait began.
 */
function reminderInstant(
  calendar: BusinessCalendar,
  start: number,
  resolveAt: number,
  after: Span,
  before: Span,
): number {
  if (after.clock === "business" || before.clock === "business") {
    return addSpan(calendar, start, { ...after, ms: Math.max(0, after.ms - before.ms) });
  }
  return Math.max(start, subtractSpan(calendar, resolveAt, before));
}
