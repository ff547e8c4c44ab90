import type { DateTime } from "luxon";
import type { Ladder, LadderTarget, OnCallTarget } from "./model.js";

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
  /** Set on the first page after a move on the page (what the paged person is told). */
  cause?: LadderIntervention["kind"];
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

function resolveTarget(
  target: LadderTarget,
  at: DateTime,
  resolveOnCall: ResolveOnCall,
): OnCallTarget | null {
  return target.kind === "person"
    ? { kind: "person", person: target.person }
    : resolveOnCall(target.schedule, at);
}

/**
 * What someone did to a running ladder from the page: snooze it (the next page waits until `until`, and then
 * the level that was snoozed is paged again), escalate it now (the next level is paged at once), or reassign
 * it (the chosen person or schedule is paged at once, and the ladder goes on from there if they do not
 * acknowledge). `id` makes the keys of the pages that follow unique (the ticket event's sequence number).
 */
export type LadderIntervention =
  | { id: string; at: DateTime; kind: "snooze"; until: DateTime }
  | { id: string; at: DateTime; kind: "escalate" }
  | { id: string; at: DateTime; kind: "reassign"; target: LadderTarget };

/** Where a walk of the ladder stands: `index` is the next page over all rounds (round × levels + level). */
interface Cursor {
  index: number;
  dueAt: DateTime;
  /** Appended to page keys after an intervention, so a level paged again gets a new key. */
  tag: string;
  /** A reassignment: who a snoozed level is paged as instead of the level's own target. */
  instead: LadderTarget | null;
  cause?: LadderIntervention["kind"] | undefined;
}

export function ladderState(
  ladder: Ladder,
  startedAt: DateTime,
  progress: LadderProgress,
  now: DateTime,
  resolveOnCall: ResolveOnCall,
  interventions: LadderIntervention[] = [],
): LadderState {
  const stop = stopBy(progress, now);
  const pages: DuePage[] = [];
  const size = ladder.levels.length;
  const total = size * (ladder.repeat + 1);
  const pending = interventions
    .filter((i) => i.at.toMillis() >= startedAt.toMillis() && i.at.toMillis() <= now.toMillis())
    .sort((a, b) => a.at.toMillis() - b.at.toMillis());
  const cursor: Cursor = { index: 0, dueAt: startedAt, tag: "", instead: null };
  const stopsBefore = (t: DateTime) => stop !== null && stop.at.toMillis() <= t.toMillis();
  for (;;) {
    const next = pending[0];
    if (next && next.at.toMillis() < cursor.dueAt.toMillis() && !stopsBefore(next.at)) {
      pending.shift();
      intervene(ladder, cursor, next, pages, resolveOnCall);
      continue;
    }
    // An acknowledgement at the very instant a page falls due prevents that page.
    if (stopsBefore(cursor.dueAt))
      return { status: stop!.status, pages, nextChangeAt: null, stoppedAt: stop!.at };
    if (cursor.dueAt.toMillis() > now.toMillis())
      return { status: "paging", pages, nextChangeAt: cursor.dueAt, stoppedAt: null };
    if (cursor.index >= total)
      return { status: "exhausted", pages, nextChangeAt: null, stoppedAt: cursor.dueAt };
    const round = Math.floor(cursor.index / size);
    const level = cursor.index % size;
    const step = ladder.levels[level]!;
    const via = cursor.instead ?? step.target;
    const target = resolveTarget(via, cursor.dueAt, resolveOnCall);
    const cause = cursor.cause ? { cause: cursor.cause } : {};
    pages.push({
      key: pageKey(round, level) + cursor.tag,
      round,
      level,
      dueAt: cursor.dueAt,
      target,
      via,
      ...cause,
    });
    cursor.instead = null;
    cursor.cause = undefined;
    cursor.index += 1;
    cursor.dueAt = cursor.dueAt.plus({ minutes: target ? step.waitMinutes : 0 });
  }
}

function intervene(
  ladder: Ladder,
  cursor: Cursor,
  move: LadderIntervention,
  pages: DuePage[],
  resolveOnCall: ResolveOnCall,
): void {
  const last = pages.at(-1);
  cursor.tag = `:${move.kind[0]}${move.id}`;
  cursor.cause = move.kind === "reassign" ? undefined : move.kind;
  switch (move.kind) {
    case "snooze":
      // The ladder waits; then whoever was paged last is paged again, and the ladder goes on from them.
      cursor.index = Math.max(0, cursor.index - 1);
      cursor.dueAt = move.until;
      cursor.instead = last && last.via !== ladder.levels[last.level]?.target ? last.via : null;
      return;
    case "escalate":
      cursor.dueAt = move.at;
      cursor.instead = null;
      return;
    case "reassign": {
      const level = last?.level ?? 0;
      const target = resolveTarget(move.target, move.at, resolveOnCall);
      pages.push({
        key: `page:reassign${cursor.tag}`,
        round: last?.round ?? 0,
        level,
        dueAt: move.at,
        target,
        via: move.target,
        cause: "reassign",
      });
      cursor.dueAt = move.at.plus({ minutes: target ? (ladder.levels[level]?.waitMinutes ?? 0) : 0 });
      cursor.instead = null;
    }
  }
}
