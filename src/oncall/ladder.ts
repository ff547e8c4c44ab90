import type { DateTime } from "luxon";
import type { Ladder, LadderLevel, LadderTarget, OnCallTarget } from "./model.js";

/**
 * The paging ladder as a pure function of what has happened so far. The scheduler calls
 * `ladderState` on each tick (and right after an acknowledgement), inserts every returned page into
 * the outbox under its key (an insert that ignores duplicate keys), and sleeps until
 * `nextChangeAt`. Keys are unique within one ladder run; the outbox scopes them by ticket.
 *
 * Timeline: level 1 is paged at `startedAt`; after its `waitMinutes` without an acknowledgement,
 * level 2; …; after the last level, round 2 starts from level 1, up to `repeat` extra rounds; after
 * the last wait the ladder is exhausted (the caller warns admins). A level that resolves to no one
 * does not wait out its delay (GoAlert #4548): the next level is paged at once.
 */

export interface LadderProgress {
  acknowledgedAt?: DateTime | null;
  resolvedAt?: DateTime | null;
}

/** Who a schedule puts on call at an instant, with the business calendar already bound in. */
export type ResolveOnCall = (scheduleId: string, at: DateTime) => OnCallTarget | null;

export interface DuePage {
  key: string;
  round: number;
  level: number;
  dueAt: DateTime;
  /** The person or channel to page; null when the level's schedule had no one. */
  target: OnCallTarget | null;
  via: LadderTarget;
}

export type LadderStatus = "paging" | "acknowledged" | "resolved" | "exhausted";

export interface LadderState {
  status: LadderStatus;
  /** Every page due by `now`, oldest first, including ones sent on earlier ticks. */
  pages: DuePage[];
  /** When calling again can give a different answer; null once the ladder has stopped. */
  nextChangeAt: DateTime | null;
  stoppedAt: DateTime | null;
}

export function pageKey(round: number, level: number): string {
  return `page:r${round}:l${level}`;
}

interface Stop {
  at: DateTime;
  status: "acknowledged" | "resolved";
}

/** The acknowledgement or resolution in effect by `now`; events after `now` are not known yet. */
function stopBy(progress: LadderProgress, now: DateTime): Stop | null {
  const known = (t: DateTime | null | undefined) => (t && t.toMillis() <= now.toMillis() ? t : null);
  const ack = known(progress.acknowledgedAt);
  const resolved = known(progress.resolvedAt);
  if (!ack && !resolved) return null;
  const first = [ack, resolved].filter((t) => t !== null).sort((a, b) => a.toMillis() - b.toMillis())[0]!;
  return { at: first, status: resolved ? "resolved" : "acknowledged" };
}

function resolveLevel(level: LadderLevel, at: DateTime, resolveOnCall: ResolveOnCall): OnCallTarget | null {
  return level.target.kind === "person"
    ? { kind: "person", person: level.target.person }
    : resolveOnCall(level.target.schedule, at);
}

export function ladderState(
  ladder: Ladder,
  startedAt: DateTime,
  progress: LadderProgress,
  now: DateTime,
  resolveOnCall: ResolveOnCall,
): LadderState {
  const stop = stopBy(progress, now);
  const pages: DuePage[] = [];
  const stopped = (): LadderState => ({
    status: stop!.status,
    pages,
    nextChangeAt: null,
    stoppedAt: stop!.at,
  });
  let dueAt = startedAt;
  for (let round = 0; round <= ladder.repeat; round++) {
    for (const [level, step] of ladder.levels.entries()) {
      // An acknowledgement at the very instant a page falls due prevents that page.
      if (stop && stop.at.toMillis() <= dueAt.toMillis()) return stopped();
      if (dueAt.toMillis() > now.toMillis())
        return { status: "paging", pages, nextChangeAt: dueAt, stoppedAt: null };
      const target = resolveLevel(step, dueAt, resolveOnCall);
      pages.push({ key: pageKey(round, level), round, level, dueAt, target, via: step.target });
      dueAt = dueAt.plus({ minutes: target ? step.waitMinutes : 0 });
    }
  }
  if (stop && stop.at.toMillis() <= dueAt.toMillis()) return stopped();
  if (dueAt.toMillis() > now.toMillis())
    return { status: "paging", pages, nextChangeAt: dueAt, stoppedAt: null };
  return { status: "exhausted", pages, nextChangeAt: null, stoppedAt: dueAt };
}
