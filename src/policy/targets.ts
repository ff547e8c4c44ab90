import { DateTime } from "luxon";
import { type Budget, budgetFor, dueAfter } from "./deadline.js";
import type { Cycle, Pause } from "./history.js";
import type { PolicyConditions, TargetName, TargetRule } from "./schema.js";
import type { PlannedAction, Policy, TargetState, TargetStatus, TicketFacts } from "./types.js";
import { cachedZone } from "./zone.js";

/** What every target and step of one cycle is computed from. */
export interface CycleContext {
  policy: Policy;
  facts: TicketFacts;
  openedInBusinessHours: boolean;
  cycle: Cycle;
  pauses: Pause[];
  now: number;
}

/** A target worked out in epoch ms, before it is turned into the public status and actions. */
export interface ComputedTarget {
  name: TargetName;
  instance: number | undefined;
  rule: TargetRule;
  budget: Budget;
  pauses: Pause[];
  start: number;
  due: number | null;
  warnAt: number | null;
  /** When the target stopped: met by a reply, or ended with the cycle. */
  stop: number | null;
  state: TargetState;
}

export function matchesConditions(
  when: PolicyConditions | undefined,
  facts: TicketFacts,
  openedInBusinessHours: boolean,
): boolean {
  if (!when) return true;
  for (const field of ["severity", "channel", "plan", "category"] as const) {
    const allowed = when[field];
    if (allowed && !allowed.includes(facts[field])) return false;
  }
  return when.openedInBusinessHours === undefined || when.openedInBusinessHours === openedInBusinessHours;
}

/** Rules are ordered; the first that matches the ticket decides (a "none" rule shields later ones). */
export function selectRule(
  policy: Policy,
  target: TargetName,
  facts: TicketFacts,
  openedInBusinessHours: boolean,
): TargetRule | undefined {
  return policy.targets.find(
    (rule) => rule.target === target && matchesConditions(rule.when, facts, openedInBusinessHours),
  );
}

export function computeTarget(
  ctx: CycleContext,
  name: TargetName,
  start: number,
  stop: number | null,
  instance?: number,
): ComputedTarget | null {
  const rule = selectRule(ctx.policy, name, ctx.facts, ctx.openedInBusinessHours);
  if (!rule) return null;
  const calendar = ctx.policy.calendar;
  const budget = budgetFor(calendar, rule.within, start);
  if (!budget) return null;
  // First responses are owed before anyone can wait on the customer, so they do not pause by default.
  const pauses = (rule.pause ?? name !== "firstResponse") ? ctx.pauses : [];
  const due = dueAfter(calendar, start, budget, pauses);
  const warnAt = warningInstant(ctx, rule, start, budget, pauses);
  const state = stateOf(due, stop, ctx.now, pauses);
  return { name, instance, rule, budget, pauses, start, due, warnAt, stop, state };
}

function stateOf(due: number | null, stop: number | null, now: number, pauses: Pause[]): TargetState {
  if (stop !== null) return due === null || stop <= due ? "met" : "breached";
  if (due === null) return "paused";
  if (now >= due) return "breached";
  const pausedNow = pauses.some((p) => p.start <= now && now < p.end);
  return pausedNow ? "paused" : "pending";
}

function warningInstant(
  ctx: CycleContext,
  rule: TargetRule,
  start: number,
  budget: Budget,
  pauses: Pause[],
): number | null {
  const warn = rule.warn;
  if (!warn) return null;
  const calendar = ctx.policy.calendar;
  let at: number | null;
  if ("after" in warn) at = dueAfter(calendar, start, { clock: warn.after.clock, ms: warn.after.ms }, pauses);
  else if ("before" in warn)
    at = dueAfter(calendar, start, { ...budget, ms: budget.ms - warn.before.ms }, pauses);
  else
    at = dueAfter(calendar, start, { ...budget, ms: Math.round((budget.ms * warn.percent) / 100) }, pauses);
  const due = dueAfter(calendar, start, budget, pauses);
  // A warning at or after the due instant says nothing the breach does not.
  return at !== null && (due === null || at < due) && budget.ms > 0 ? at : null;
}

export function targetKey(ctx: CycleContext, target: ComputedTarget): string {
  const instance = target.instance === undefined ? "" : `#${target.instance}`;
  return `c${ctx.cycle.number}:${target.name}${instance}`;
}

/** The warning and the breach, each only if the target had not stopped by then. */
export function targetActions(ctx: CycleContext, target: ComputedTarget): PlannedAction[] {
  const zone = cachedZone(ctx.policy.zone);
  const key = targetKey(ctx, target);
  const actions: PlannedAction[] = [];
  if (target.due === null) return actions;
  const due = DateTime.fromMillis(target.due, { zone });
  const before = (t: number) => target.stop === null || t < target.stop;
  if (target.warnAt !== null && before(target.warnAt) && target.budget.ms > 0) {
    const at = DateTime.fromMillis(target.warnAt, { zone });
    actions.push({ key: `${key}:warn`, at, kind: "warn", target: target.name, due });
  }
  if (target.stop === null || target.stop > target.due) {
    actions.push({ key: `${key}:breach`, at: due, kind: "breach", target: target.name, due });
  }
  return actions;
}

export function toStatus(ctx: CycleContext, target: ComputedTarget): TargetStatus {
  const zone = cachedZone(ctx.policy.zone);
  const instant = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone }));
  return {
    target: target.name,
    cycle: ctx.cycle.number,
    ...(target.instance === undefined ? {} : { instance: target.instance }),
    clock: target.budget.clock,
    startedAt: DateTime.fromMillis(target.start, { zone }),
    due: target.state === "paused" ? null : instant(target.due),
    warnAt: instant(target.warnAt),
    state: target.state,
    metAt: target.state === "met" ? instant(target.stop) : null,
    goal: target.rule.goal ?? null,
    within: target.rule.within.text,
  };
}
