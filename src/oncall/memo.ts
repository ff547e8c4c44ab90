import type { DateTime } from "luxon";
import type { OnCallContext, Schedule } from "./model.js";
import { findOnCall, LOOK_AROUND_DAYS, type OnCallNow } from "./queries.js";

interface Remembered {
  sinceMs: number;
  untilMs: number;
  now: OnCallNow;
}

/** Segments kept per schedule: tonight's, and a few others that tickets of other nights still ask about. */
const KEPT = 8;
/**
 * An instant is answered from a segment only when the segment lies within this distance of it on both
 * sides. `whoIsOnCall` sees LOOK_AROUND_DAYS calendar days each way; two days less is inside that in any
 * zone, whatever its DST changes, so there it would report the same whole segment.
 */
const SEEN_MS = (LOOK_AROUND_DAYS - 2) * 86_400_000;

/**
 * `whoIsOnCall`, remembered. Building the timeline costs about 1.5 ms for a WES weekend night, and every
 * ticket of that night asks, some several times (each round of the paging ladder). The answer is the same
 * for any instant of the segment found, so the last few segments found per schedule answer those instants.
 * It gives exactly what `whoIsOnCall` would:
 * - it is keyed by the schedule object and the context object, which are values here: adding, ending or
 *   removing a cover makes a new schedule (`overrides.ts`, the directory's rebuild after a write or a
 *   refresh that found changes), so a schedule that changed is never looked up under the old one;
 * - it keeps only whole segments, never one cut at the look-around horizon (its ends are not where the
 *   answer changes);
 * - it answers only instants whose own look-around would see the whole segment, so `since` and `until`
 *   are the same too.
 */
export class OnCallMemo {
  private readonly seen = new WeakMap<Schedule, { ctx: OnCallContext; segments: Remembered[] }>();

  whoIsOnCall(schedule: Schedule, t: DateTime, ctx: OnCallContext): OnCallNow {
    const at = t.toMillis();
    let mine = this.seen.get(schedule);
    if (mine?.ctx !== ctx) {
      mine = { ctx, segments: [] };
      this.seen.set(schedule, mine);
    }
    const hit = mine.segments.find(
      (s) => s.sinceMs <= at && at < s.untilMs && s.sinceMs >= at - SEEN_MS && s.untilMs <= at + SEEN_MS,
    );
    if (hit) return copy(hit.now);
    const found = findOnCall(schedule, t, ctx);
    if (found.whole) {
      const { since, until } = found.now;
      mine.segments.unshift({ sinceMs: since.toMillis(), untilMs: until.toMillis(), now: copy(found.now) });
      mine.segments.length = Math.min(mine.segments.length, KEPT);
    }
    return found.now;
  }
}

/** Callers get their own target objects, as from `whoIsOnCall`. */
function copy(now: OnCallNow): OnCallNow {
  return {
    target: now.target && { ...now.target },
    decidedBy: { ...now.decidedBy },
    since: now.since,
    until: now.until,
  };
}
