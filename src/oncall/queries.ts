import type { DateTime } from "luxon";
import type { DecidedBy, OnCallContext, OnCallSegment, OnCallTarget, Schedule } from "./model.js";
import { coverageSpans } from "./restrictions.js";
import { intersectSpans } from "./spans.js";
import { shifts } from "./timeline.js";

/**
 * How far around an instant `whoIsOnCall` looks to report when the current segment started and
 * ends. A month covers every realistic shift (weekly, fortnightly); longer segments are reported
 * cut at this horizon, which is still true ("until at least …").
 */
export const LOOK_AROUND_DAYS = 31;
const NEARBY_DAYS = 4;

export interface OnCallNow {
  target: OnCallTarget | null;
  decidedBy: DecidedBy;
  since: DateTime;
  until: DateTime;
}

function segmentAt(schedule: Schedule, t: DateTime, days: number, ctx: OnCallContext): OnCallSegment {
  const window = shifts(schedule, t.minus({ days }), t.plus({ days }), ctx);
  const at = t.toMillis();
  return window.find((s) => s.start.toMillis() <= at && at < s.end.toMillis())!;
}

/** Who is on call at `t`, what decided it (layer, override, fallback) and for how long. */
export function whoIsOnCall(schedule: Schedule, t: DateTime, ctx: OnCallContext = {}): OnCallNow {
  return findOnCall(schedule, t, ctx).now;
}

/**
 * `whoIsOnCall`, and whether its segment is whole: bounded on both sides by a real change of who is on
 * call, not cut at the look-around horizon (`OnCallMemo` keeps only whole ones).
 */
export function findOnCall(
  schedule: Schedule,
  t: DateTime,
  ctx: OnCallContext,
): { now: OnCallNow; whole: boolean } {
  // Most segments are shorter than a week, so look nearby first; widen only when the segment
  // reaches the edge of the first window (a cheap call matters: the ladder asks once per page).
  let days = NEARBY_DAYS;
  let segment = segmentAt(schedule, t, days, ctx);
  if (reachesEdge(segment, t, days)) {
    days = LOOK_AROUND_DAYS;
    segment = segmentAt(schedule, t, days, ctx);
  }
  const now = {
    target: segment.target,
    decidedBy: segment.decidedBy,
    since: segment.start,
    until: segment.end,
  };
  return { now, whole: days === NEARBY_DAYS || !reachesEdge(segment, t, days) };
}

function reachesEdge(segment: OnCallSegment, t: DateTime, days: number): boolean {
  return (
    segment.start.toMillis() === t.minus({ days }).toMillis() ||
    segment.end.toMillis() === t.plus({ days }).toMillis()
  );
}

export interface Gap {
  start: DateTime;
  end: DateTime;
  /** Who is told instead (the fallback), or null when nobody would be. */
  fallback: OnCallTarget | null;
}

/**
 * Times within [from, to) that the schedule promises to cover (`mustCover`) but where no layer or
 * override has a person. Deliberate gaps (WES business hours go to the help desk) are not reported.
 */
export function findGaps(schedule: Schedule, from: DateTime, to: DateTime, ctx: OnCallContext = {}): Gap[] {
  const holes = shifts(schedule, from, to, ctx).filter(
    (s) => s.decidedBy.kind === "fallback" || s.decidedBy.kind === "nobody",
  );
  const promised = coverageSpans(schedule, from, to, ctx);
  return intersectSpans(holes, promised).map((hole) => ({
    start: hole.start,
    end: hole.end,
    fallback: hole.target,
  }));
}

export interface PersonShift {
  start: DateTime;
  end: DateTime;
}

export type ShiftLimit = { count: number } | { until: DateTime };

const SEARCH_WINDOW_DAYS = 28;
const SEARCH_HORIZON_DAYS = 366;

function personShiftsIn(
  schedule: Schedule,
  person: string,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext,
): PersonShift[] {
  const mine = (s: OnCallSegment) => s.target?.kind === "person" && s.target.person === person;
  return shifts(schedule, from, to, ctx)
    .filter(mine)
    .map((s) => ({ start: s.start, end: s.end }));
}

/** Joins back-to-back pieces (a layer shift then an override of the same person is one shift). */
function joinTouching(pieces: PersonShift[]): PersonShift[] {
  const joined: PersonShift[] = [];
  for (const piece of pieces) {
    const last = joined[joined.length - 1];
    if (last && last.end.toMillis() === piece.start.toMillis()) last.end = piece.end;
    else joined.push({ ...piece });
  }
  return joined;
}

/**
 * A person's shifts that end after `from`, in order: the next `count` of them (searching up to a
 * year ahead) or all of them before `until`. A shift in progress at `from` is included whole.
 */
export function nextShifts(
  schedule: Schedule,
  person: string,
  from: DateTime,
  limit: ShiftLimit,
  ctx: OnCallContext = {},
): PersonShift[] {
  const lookBack = from.minus({ days: LOOK_AROUND_DAYS });
  const horizon = "until" in limit ? limit.until : from.plus({ days: SEARCH_HORIZON_DAYS });
  const wanted = "count" in limit ? limit.count : Number.POSITIVE_INFINITY;
  let pieces = personShiftsIn(schedule, person, lookBack, from, ctx);
  for (
    let start = from;
    start.toMillis() < horizon.toMillis();
    start = start.plus({ days: SEARCH_WINDOW_DAYS })
  ) {
    const end = earliest(start.plus({ days: SEARCH_WINDOW_DAYS }), horizon);
    pieces = pieces.concat(personShiftsIn(schedule, person, start, end, ctx));
    const found = joinTouching(pieces).filter((s) => s.end.toMillis() > from.toMillis());
    // One more window is needed when the last shift found might continue past this window's end.
    if (found.length > wanted) return found.slice(0, wanted);
  }
  return joinTouching(pieces)
    .filter((s) => s.end.toMillis() > from.toMillis())
    .slice(0, wanted);
}

function earliest(a: DateTime, b: DateTime): DateTime {
  return a.toMillis() <= b.toMillis() ? a : b;
}
