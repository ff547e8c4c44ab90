import type { DateTime } from "luxon";
import { formatWhen } from "./format.js";
import type { Override, Schedule } from "./model.js";
import { knownPeople } from "./people.js";

/**
 * Cover requests from chat ("/oncall override @dana until Sunday 18:00"). Pure: the caller parses
 * the time, passes `now`, and stores the returned schedule. Errors are written for the person who
 * typed the command, in their zone.
 */

export interface OverrideRequest {
  person: string;
  /** Defaults to now; a start in the past is moved to now, since history is never rewritten. */
  start?: DateTime;
  end: DateTime;
  reason?: string;
  id?: string;
}

export type OverrideResult = { ok: true; override: Override } | { ok: false; error: string };
export type ScheduleEditResult =
  | { ok: true; schedule: Schedule; override: Override }
  | { ok: false; error: string };

/** Longer covers are nearly always a typo in the year; a real change belongs in the rotation. */
export const MAX_OVERRIDE_DAYS = 90;

const failure = (error: string) => ({ ok: false as const, error });

function latest(a: DateTime, b: DateTime): DateTime {
  return a.toMillis() >= b.toMillis() ? a : b;
}

export function validateOverride(
  schedule: Schedule,
  request: OverrideRequest,
  now: DateTime,
  zone: string = schedule.zone,
): OverrideResult {
  const person = request.person.replace(/^@/, "").trim();
  const people = knownPeople(schedule);
  if (!people.has(person)) {
    const list = [...people].sort().join(", ");
    return failure(`I don't know "${person}" on ${schedule.name}. People who can cover: ${list}.`);
  }
  if (!request.end.isValid || (request.start && !request.start.isValid)) {
    return failure("I could not read that time. Try something like 2026-03-08 18:00.");
  }
  const start = latest(request.start ?? now, now);
  const end = request.end;
  if (end.toMillis() <= now.toMillis()) {
    return failure(
      `That cover would end ${formatWhen(end, zone)}, which has already passed. Pick a later time.`,
    );
  }
  if (end.toMillis() <= start.toMillis()) {
    const span = `it starts ${formatWhen(start, zone)} but ends ${formatWhen(end, zone)}`;
    return failure(`A cover must end after it starts: ${span}.`);
  }
  if (end.diff(start, "days").days > MAX_OVERRIDE_DAYS) {
    return failure(
      `A cover can last at most ${MAX_OVERRIDE_DAYS} days. For longer, change the rotation in the schedule file.`,
    );
  }
  const id = request.id ?? `${person}@${start.toUTC().toISO()}`;
  const override: Override = {
    id,
    person,
    start,
    end,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  return { ok: true, override };
}

/** Adds a cover; it wins over earlier covers where they overlap (the most recent one wins). */
export function addOverride(
  schedule: Schedule,
  request: OverrideRequest,
  now: DateTime,
  zone: string = schedule.zone,
): ScheduleEditResult {
  const result = validateOverride(schedule, request, now, zone);
  if (!result.ok) return result;
  if (schedule.overrides.some((o) => o.id === result.override.id)) {
    return failure(
      `${result.override.person} already covers from ${formatWhen(result.override.start, zone)}.`,
    );
  }
  return {
    ok: true,
    override: result.override,
    schedule: withOverrides(schedule, [...schedule.overrides, result.override]),
  };
}

/**
 * Cancels a cover: a future one disappears, one in progress ends now, a finished one stays
 * (PagerDuty's rule: the past is a record of who was actually on call).
 */
export function cancelOverride(schedule: Schedule, overrideId: string, now: DateTime): ScheduleEditResult {
  const override = schedule.overrides.find((o) => o.id === overrideId);
  if (!override) return failure(`There is no cover "${overrideId}" on ${schedule.name}.`);
  if (override.end.toMillis() <= now.toMillis()) {
    return failure(
      `That cover already ended ${formatWhen(override.end, schedule.zone)}; past covers stay on record.`,
    );
  }
  const inProgress = override.start.toMillis() < now.toMillis();
  const kept = schedule.overrides
    .map((o) => (o.id === overrideId && inProgress ? { ...o, end: now } : o))
    .filter((o) => o.id !== overrideId || inProgress);
  return { ok: true, override, schedule: withOverrides(schedule, kept) };
}

function withOverrides(schedule: Schedule, overrides: Override[]): Schedule {
  return { ...schedule, overrides };
}
