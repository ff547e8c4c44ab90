import type { DateTime } from "luxon";
import {
  findGaps,
  formatWhen,
  type OnCallContext,
  type OnCallSegment,
  type OnCallTarget,
  type Schedule,
  shifts,
  whoIsOnCall,
} from "../oncall/index.js";
import { inZone } from "../zone.js";
import type { ScheduleGap } from "./directory.js";

/**
 * Chat replies about on-call, in the reader's zone: markdown with `<@id>` mentions, which Slack
 * renders as people and the other adapters turn into names. Fixed to en-US like the pure formatters.
 */

export function mention(target: OnCallTarget | null): string {
  if (!target) return "no one";
  return target.kind === "person" ? `<@${target.person}>` : target.channel;
}

function shortWhen(t: DateTime, zone: string): string {
  return inZone(t, zone).setLocale("en-US").toFormat("ccc d LLL HH:mm");
}

/** True when some of the segment is time the schedule promised to cover (a real gap, not help-desk hours). */
function isGap(schedule: Schedule, segment: OnCallSegment, ctx: OnCallContext): boolean {
  if (segment.decidedBy.kind !== "fallback" && segment.decidedBy.kind !== "nobody") return false;
  return findGaps(schedule, segment.start, segment.end, ctx).length > 0;
}

function reason(schedule: Schedule, segment: OnCallSegment, ctx: OnCallContext): string {
  const by = segment.decidedBy;
  if (by.kind === "layer") return `${by.layer} rotation`;
  if (by.kind === "override") return `covering, cover #${by.overrideId}`;
  if (isGap(schedule, segment, ctx)) {
    return by.kind === "fallback" ? "⚠️ gap: no one on call, fallback" : "⚠️ gap: no one on call";
  }
  return by.kind === "fallback" ? "outside on-call hours" : "no one on call";
}

/** Back-to-back pieces with the same person and the same reason read as one shift. */
function joined(segments: OnCallSegment[]): OnCallSegment[] {
  const out: OnCallSegment[] = [];
  for (const s of segments) {
    const last = out[out.length - 1];
    const same =
      last &&
      last.end.toMillis() === s.start.toMillis() &&
      mention(last.target) === mention(s.target) &&
      JSON.stringify(last.decidedBy) === JSON.stringify(s.decidedBy);
    if (same) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/** `/oncall`: who is on call now and until when, then the next two changes. */
export function renderNowAndNext(
  schedule: Schedule,
  now: DateTime,
  ctx: OnCallContext,
  zone: string,
): string {
  const current = whoIsOnCall(schedule, now, ctx);
  const nowSegment: OnCallSegment = { ...current, start: current.since, end: current.until };
  const lines = [
    `*${schedule.name}*`,
    `Now: ${mention(current.target)} until ${formatWhen(current.until, zone)} (${reason(schedule, nowSegment, ctx)})`,
  ];
  const upcoming = joined(shifts(schedule, current.until, current.until.plus({ days: 31 }), ctx)).slice(0, 2);
  upcoming.forEach((s, i) => {
    const span = `${formatWhen(s.start, zone)} until ${formatWhen(s.end, zone)}`;
    lines.push(`${i === 0 ? "Next" : "Then"}: ${mention(s.target)}, ${span} (${reason(schedule, s, ctx)})`);
  });
  return lines.join("\n");
}

/**
 * `/oncall schedule`: one line per on-call shift or gap from `from` to `to`. Stretches deliberately
 * left to the fallback (the WES help desk in business hours) are summed up in one closing line.
 */
export function renderSchedule(
  schedule: Schedule,
  from: DateTime,
  to: DateTime,
  ctx: OnCallContext,
  zone: string,
): string {
  const days = Math.round(to.diff(from, "days").days);
  const lines = [`*${schedule.name}*, next ${days} days (times in ${zone})`];
  let deliberate: OnCallTarget | null | undefined;
  for (const s of joined(shifts(schedule, from, to, ctx))) {
    const person = s.decidedBy.kind === "layer" || s.decidedBy.kind === "override";
    if (!person && !isGap(schedule, s, ctx)) {
      deliberate = s.target;
      continue;
    }
    const who = person ? mention(s.target) : `no one${s.target ? ` (goes to ${mention(s.target)})` : ""}`;
    lines.push(
      `• ${shortWhen(s.start, zone)} → ${shortWhen(s.end, zone)}  ${who} (${reason(schedule, s, ctx)})`,
    );
  }
  if (lines.length === 1) lines.push("• No one is on call in this period.");
  if (deliberate !== undefined) {
    lines.push(`Other times: ${mention(deliberate)}${deliberate ? " (fallback)" : ""}.`);
  }
  return lines.join("\n");
}

/** An admin warning listing coverage gaps ahead; empty when there are none. */
export function renderGapWarning(gaps: ScheduleGap[], zone: string): string {
  if (gaps.length === 0) return "";
  const lines = gaps.map((g) => {
    const to = g.fallback ? `goes to ${mention(g.fallback)}` : "no fallback: nobody would be paged";
    return `• ${g.scheduleName}: ${formatWhen(g.start, zone)} → ${formatWhen(g.end, zone)} (${to})`;
  });
  return [`⚠️ No one is on call at these times; add a cover with \`/oncall override\`:`, ...lines].join("\n");
}
