import type { DateTime } from "luxon";

/**
 * The on-call domain model. Everything here is plain data: schedules come from YAML
 * (`scheduleFile.ts`) or from tests, and every query takes the instant it is asked about.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday (luxon's `weekday`). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A local wall-clock time of day; handoffs are stored like this so DST never moves them. */
export interface WallClock {
  hour: number;
  minute: number;
}

/** A local calendar date (no zone of its own: the rotation's zone gives it meaning). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface ShiftLength {
  every: number;
  unit: "hours" | "days" | "weeks";
}

export interface Rotation {
  /** Who takes the shifts, in order; shift k goes to members[k mod n]. */
  members: string[];
  shift: ShiftLength;
  /** Wall-clock time of the first handoff on `startDate`; later handoffs keep this wall-clock time. */
  handoff: WallClock;
  startDate: LocalDate;
  zone: string;
}

/**
 * When a layer may put someone on call. `weekly` windows are wall-clock times in the schedule zone;
 * `to` ≤ `from` means the window runs past midnight; `to` of 24:00 is the end of the day (1440).
 */
export type Restriction =
  | { kind: "afterHours" }
  | { kind: "businessHours" }
  | { kind: "weekly"; days: IsoWeekday[]; fromMinute: number; toMinute: number };

export interface Layer {
  name: string;
  rotation: Rotation;
  /** Union of windows; empty means the layer applies around the clock. */
  only: Restriction[];
}

export interface Override {
  id: string;
  person: string;
  start: DateTime;
  end: DateTime;
  reason?: string;
}

export type OnCallTarget = { kind: "person"; person: string } | { kind: "channel"; channel: string };

/**
 * When a person must be on call: "always", or the union of these windows. Gaps outside it are by
 * design (the help desk is open) and are not reported.
 */
export type Coverage = "always" | Restriction[];

export type LadderTarget = { kind: "schedule"; schedule: string } | { kind: "person"; person: string };

export interface LadderLevel {
  target: LadderTarget;
  waitMinutes: number;
}

export interface Ladder {
  levels: LadderLevel[];
  /** Extra passes after the first one (PagerDuty's `num_loops`): repeat 2 means 3 passes in all. */
  repeat: number;
}

export interface Schedule {
  id: string;
  name: string;
  zone: string;
  /** Layers in listed order; a later layer wins where layers overlap. */
  layers: Layer[];
  /** In listed order; a later override wins where overrides overlap (the most recent one). */
  overrides: Override[];
  /** Who is told when no layer or override has anyone (the WES help-desk channel, a manager). */
  fallback: OnCallTarget | null;
  /** People who may cover besides rotation members (managers, spare engineers). */
  people: string[];
  mustCover: Coverage;
  ladder?: Ladder;
  /** Where each handoff is announced, if anywhere. */
  handoffNotices?: { channel: string };
  /**
   * The schedule's own business calendar, for `afterHours` / `businessHours`: the name of a policy whose
   * calendar it uses, or a calendar written in the file (zone, hours, holidays). The paging layer binds
   * it into `businessHours`; a schedule without one uses the calendar the context gives.
   */
  calendar?: ScheduleCalendar;
  businessHours?: BusinessHours;
}

export type ScheduleCalendar =
  | { kind: "policy"; policy: string }
  | { kind: "inline"; definition: Record<string, unknown> };

/** An open period of a business calendar: a luxon `Interval` or the policy engine's `OpenInterval`. */
export interface OpenPeriod {
  start: DateTime | null;
  end: DateTime | null;
}

/**
 * Business hours from the policy engine, injected so this module never imports it. `openIntervals`
 * returns the open periods overlapping [from, to), in any order (they are clipped and merged here).
 * Wiring: `{ isOpen: (t) => isOpen(cal, t), openIntervals: (a, b) => openIntervals(cal, a, b) }`.
 */
export interface BusinessHours {
  isOpen(t: DateTime): boolean;
  openIntervals(from: DateTime, to: DateTime): readonly OpenPeriod[];
}

export interface OnCallContext {
  businessHours?: BusinessHours;
}

export type DecidedBy =
  | { kind: "override"; overrideId: string }
  | { kind: "layer"; layer: string }
  | { kind: "fallback" }
  | { kind: "nobody" };

/** One piece of the flattened timeline: from `start` (inclusive) to `end` (exclusive). */
export interface OnCallSegment {
  start: DateTime;
  end: DateTime;
  target: OnCallTarget | null;
  decidedBy: DecidedBy;
}

export interface Span {
  start: DateTime;
  end: DateTime;
}
