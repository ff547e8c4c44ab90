import { DateTime } from "luxon";
import { cachedZone } from "../zone.js";
import { type Budget, budgetFor, dueAfter, spanBudget, spanMsBefore } from "./deadline.js";
import type { Cycle, Pause } from "./history.js";
import { rulePhases, type SeverityChange } from "./phases.js";
import type { PolicyConditions, TargetName, TargetRule } from "./schema.js";
import type { PlannedAction, Policy, TargetState, TargetStatus, TicketFacts } from "./types.js";

/** What every target and step of one cycle is computed from. */
export interface CycleContext {
  policy: Policy;
  /** Facts in force now (after every severity change). */
  facts: TicketFacts;
  /** Facts in force at an instant: the opening's, with the severity of the last change at or before it. */
  factsAt: (ms: number) => TicketFacts;
  /** Every severity change of the ticket, oldest first. */
  changes: SeverityChange[];
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
  /** The due instant before the latest severity change that gave this target another rule. */
  previous?: { due: number | null; changedAt: number } | undefined;
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

/** Replies count as a first response only this long after an "immediate" target starts, unless it says. */
export const DEFAULT_IMMEDIATE_GRACE_MS = 15 * 60_000;

/**
 * A target over [start, stop). After a severity change that selects another rule, the new rule runs
 * from the change; an upgrade keeps the earlier of the two due instants (raising a ticket never gives
 * it longer). A target already breached at the change stays as it was: the breach was announced.
 */
export function computeTarget(
  ctx: CycleContext,
  name: TargetName,
  start: number,
  stop: number | null,
  instance?: number,
): ComputedTarget | null {
  const phases = rulePhases(
    {
      severities: ctx.policy.severities,
      factsAt: ctx.factsAt,
      changes: ctx.changes,
      select: (facts) => selectRule(ctx.policy, name, facts, ctx.openedInBusinessHours),
    },
    start,
    stop,
  );
  let current: ComputedTarget | null = null;
  for (const phase of phases) {
    const next: ComputedTarget | null = phase.rule
      ? ruleTarget(ctx, name, phase.rule, phase.from, stop, instance)
      : null;
    if (phase.from === start) {
      current = next;
      continue;
    }
    if (current === null) {
      current = next && { ...next, previous: { due: null, changedAt: phase.from } };
      continue;
    }
    if (current.due !== null && current.due <= phase.from) break; // breached before the change
    const keep =
      phase.upgrade && next !== null && current.due !== null && next.due !== null && current.due <= next.due;
    const previous = { due: current.due, changedAt: phase.from };
    current = keep ? { ...current, previous } : next && { ...next, previous };
  }
  return current;
}

function ruleTarget(
  ctx: CycleContext,
  name: TargetName,
  rule: TargetRule,
  start: number,
  stop: number | null,
  instance: number | undefined,
): ComputedTarget | null {
  const calendar = ctx.policy.calendar;
  const budget =
    rule.within.kind === "immediate"
      ? { clock: "calendar" as const, ms: rule.grace?.ms ?? DEFAULT_IMMEDIATE_GRACE_MS }
      : budgetFor(calendar, rule.within, start);
  if (!budget) return null;
  // First responses are owed before anyone can wait on the customer, so they do not pause by default.
  const pauses = (rule.pause ?? name !== "firstResponse") ? ctx.pauses : [];
  const due = dueAfter(calendar, start, budget, pauses);
  const warnAt = rule.within.kind === "immediate" ? null : warningInstant(ctx, rule, start, budget, pauses);
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
  const plainDue = dueAfter(calendar, start, budget, []) ?? start;
  if ("after" in warn) at = dueAfter(calendar, start, spanBudget(calendar, start, warn.after), pauses);
  else if ("before" in warn)
    at = dueAfter(
      calendar,
      start,
      { ...budget, ms: budget.ms - spanMsBefore(calendar, plainDue, warn.before) },
      pauses,
    );
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
    stoppedAt: instant(target.stop),
    goal: target.rule.goal ?? null,
    within:
      target.rule.within.kind === "immediate"
        ? `${target.rule.within.text}, grace ${target.rule.grace?.text ?? "15m"}`
        : target.rule.within.text,
    immediate: target.rule.within.kind === "immediate",
    ...(target.previous
      ? { previousDue: instant(target.previous.due), rescheduledAt: instant(target.previous.changedAt)! }
      : {}),
  };
}
