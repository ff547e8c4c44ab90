import ical from "ical-generator";
import type { DateTime } from "luxon";
import { describeTarget } from "./format.js";
import type { OnCallContext, OnCallSegment, Schedule } from "./model.js";
import { LOOK_AROUND_DAYS } from "./queries.js";
import { shifts } from "./timeline.js";

export interface ICalOptions extends OnCallContext {
  /** Only this person's shifts (a personal feed); otherwise everyone, and fallback channels too. */
  person?: string;
  /** DTSTAMP of every event; defaults to `from` so the same inputs give the same bytes. */
  stamp?: DateTime;
}

/**
 * A text/calendar feed of the flattened schedule: every shift overlapping [from, to), whole. Times are written in UTC, which
 * every client reads correctly without a VTIMEZONE block (Grafana OnCall #4247 shows what broken
 * TZID offsets do to Google Calendar). UIDs are derived from the shift, so a refreshed feed updates
 * events instead of duplicating them.
 */
export function scheduleToICal(
  schedule: Schedule,
  from: DateTime,
  to: DateTime,
  options: ICalOptions = {},
): string {
  const ctx: OnCallContext = options.businessHours ? { businessHours: options.businessHours } : {};
  const stamp = (options.stamp ?? from).toUTC().toJSDate();
  const calendar = ical({
    name: options.person ? `${schedule.name}: ${options.person}` : schedule.name,
    prodId: { company: "Escalator", product: "on-call", language: "EN" },
    // Subscribed calendars poll; an hour keeps covers added from chat reasonably fresh.
    ttl: 3600,
  });
  for (const segment of wholeSegments(schedule, from, to, ctx).filter((s) => wanted(s, options.person))) {
    calendar.createEvent({
      id: `${schedule.id}-${segment.start.toMillis()}-${describeTarget(segment.target)}@escalator`,
      start: segment.start.toUTC().toJSDate(),
      end: segment.end.toUTC().toJSDate(),
      stamp,
      summary: `On call (${schedule.name}): ${describeTarget(segment.target)}`,
      description: describeDecision(segment),
    });
  }
  return calendar.toString();
}

/**
 * Segments overlapping [from, to), not cut at its edges: a feed served for a rolling window must
 * give a shift the same start (and so the same UID) on every refresh.
 */
function wholeSegments(
  schedule: Schedule,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext,
): OnCallSegment[] {
  const margin = { days: LOOK_AROUND_DAYS };
  return shifts(schedule, from.minus(margin), to.plus(margin), ctx).filter(
    (s) => s.end.toMillis() > from.toMillis() && s.start.toMillis() < to.toMillis(),
  );
}

function wanted(segment: OnCallSegment, person: string | undefined): boolean {
  if (!segment.target) return false;
  if (person === undefined) return true;
  return segment.target.kind === "person" && segment.target.person === person;
}

function describeDecision(segment: OnCallSegment): string {
  const by = segment.decidedBy;
  if (by.kind === "layer") return `Rotation layer: ${by.layer}`;
  if (by.kind === "override") return "Covering (override)";
  return "No one on call: fallback";
}
