import type { DateTime } from "luxon";
import { inZone } from "../zone.js";
import type { DecidedBy, OnCallContext, OnCallSegment, OnCallTarget, Schedule } from "./model.js";
import { whoIsOnCall } from "./queries.js";
import { shifts } from "./timeline.js";

/**
 * Plain-text renderings any chat adapter can post as they are (no Slack or Teams markup), in the
 * reader's own zone. Fixed to en-US so messages do not change with the server's locale.
 */

export function formatWhen(t: DateTime, zone: string): string {
  return inZone(t, zone).setLocale("en-US").toFormat("ccc d LLL HH:mm ZZZZ");
}

export function describeTarget(target: OnCallTarget | null): string {
  if (!target) return "no one";
  return target.kind === "person" ? target.person : target.channel;
}

function describeReason(decidedBy: DecidedBy, schedule: Schedule): string {
  switch (decidedBy.kind) {
    case "layer":
      return `${decidedBy.layer} rotation`;
    case "override": {
      const reason = schedule.overrides.find((o) => o.id === decidedBy.overrideId)?.reason;
      return reason ? `covering: ${reason}` : "covering";
    }
    case "fallback":
      return "no one on call, fallback";
    case "nobody":
      return "no one on call and no fallback";
  }
}

function describeSegment(segment: OnCallSegment, schedule: Schedule, zone: string): string {
  const when = `${formatWhen(segment.start, zone)} until ${formatWhen(segment.end, zone)}`;
  return `${describeTarget(segment.target)}, ${when} (${describeReason(segment.decidedBy, schedule)})`;
}

/** "/oncall": who is on call now, since and until when, and the next two changes. */
export function formatOnCallNowAndNext(
  schedule: Schedule,
  now: DateTime,
  ctx: OnCallContext = {},
  options: { zone?: string } = {},
): string {
  const zone = options.zone ?? schedule.zone;
  const current = whoIsOnCall(schedule, now, ctx);
  const reason = describeReason(current.decidedBy, schedule);
  const lines = [
    `${schedule.name}`,
    `Now: ${describeTarget(current.target)}, until ${formatWhen(current.until, zone)} (${reason})`,
  ];
  const upcoming = shifts(schedule, current.until, current.until.plus({ days: 31 }), ctx).slice(0, 2);
  upcoming.forEach((segment, i) => {
    lines.push(`${i === 0 ? "Next" : "Then"}: ${describeSegment(segment, schedule, zone)}`);
  });
  return lines.join("\n");
}

/** "/oncall schedule": one line per stretch of the flattened timeline. */
export function formatScheduleText(
  schedule: Schedule,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext = {},
  options: { zone?: string } = {},
): string {
  const zone = options.zone ?? schedule.zone;
  const lines = shifts(schedule, from, to, ctx).map((s) => `- ${describeSegment(s, schedule, zone)}`);
  return [`${schedule.name}, ${formatWhen(from, zone)} to ${formatWhen(to, zone)}`, ...lines].join("\n");
}
