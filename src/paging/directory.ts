import type { DateTime } from "luxon";
import type { PrismaClient } from "../generated/prisma/client.js";
import {
  addOverride as addPureOverride,
  type BusinessHours,
  cancelOverride as cancelPureOverride,
  findGaps,
  type Gap,
  knownPeople,
  type Ladder,
  type OnCallContext,
  OnCallMemo,
  type OnCallNow,
  type OnCallTarget,
  type Schedule,
} from "../oncall/index.js";
import {
  deleteOverride,
  endOverride,
  insertOverride,
  listOverrides,
  type StoredOverride,
  upsertSchedule,
} from "./overrideStore.js";
import { loadScheduleDir, type PolicyCalendars } from "./scheduleDir.js";

export interface OncallDirectoryOptions {
  /** Folder of schedule files (config `ONCALL_DIR`, default `policies/oncall`). */
  dir: string;
  /** Where covers added from chat live; without it the directory runs from the YAML files alone. */
  prisma?: PrismaClient;
  /**
   * The running policy's business calendar (`businessHoursOf(policy.calendar)`), for `afterHours` layers of
   * schedules that name no calendar of their own.
   */
  businessHours?: BusinessHours;
  /** Policies a schedule's `calendar: { policy: id }` may name (`policyCalendars(POLICY_FILE, policy)`). */
  policies?: PolicyCalendars;
}

export interface CoverRequest {
  /** Optional when the person is on exactly one schedule. */
  scheduleId?: string;
  person: string;
  start?: DateTime;
  end: DateTime;
  /** Who asked (a chat user id, "cli"); stored as `createdBy`. */
  by: string;
  /** The asker's zone, for the times in error messages. */
  zone?: string;
}

export type CoverResult =
  | { ok: true; cover: StoredOverride; schedule: Schedule }
  | { ok: false; error: string };

/** `removed`: the cover had not started; `ended`: it was in progress and now ends at `now`. */
export type CancelResult =
  | { ok: true; cover: StoredOverride; effect: "removed" | "ended" }
  | { ok: false; error: string };

export interface ScheduleGap extends Gap {
  scheduleId: string;
  scheduleName: string;
}

export class UnknownScheduleError extends Error {
  constructor(id: string, known: string[]) {
    super(`There is no on-call schedule "${id}". Schedules: ${known.join(", ") || "none"}.`);
    this.name = "UnknownScheduleError";
  }
}

const failure = (error: string) => ({ ok: false as const, error });

/**
 * The on-call schedules as the running service sees them: the YAML files plus the covers stored in
 * the database, held in memory so `onCall` answers synchronously (the ticket service asks inside a
 * transaction). Writes go to the database first, then to the memory copy; other replicas pick them
 * up on `refresh()`, which the scheduler should call every tick.
 */
export class OncallDirectory {
  private stored: StoredOverride[] = [];
  private merged = new Map<string, Schedule>();
  /** Bumped on each local write, so a refresh that raced a write reads again. */
  private writes = 0;
  /** Who is on call, remembered per schedule object: a rebuild makes new objects, so nothing stale is read. */
  private readonly memo = new OnCallMemo();
  readonly context: OnCallContext;

  private constructor(
    private readonly base: Map<string, Schedule>,
    private readonly prisma: PrismaClient | undefined,
    businessHours: BusinessHours | undefined,
  ) {
    this.context = businessHours ? { businessHours } : {};
    this.rebuild();
  }

  /** Loads the folder, records each schedule's row (for the overrides' foreign key), reads the covers. */
  static async open(options: OncallDirectoryOptions): Promise<OncallDirectory> {
    const files = loadScheduleDir(options.dir, options.policies);
    const base = new Map(files.map((f) => [f.schedule.id, f.schedule]));
    const directory = new OncallDirectory(base, options.prisma, options.businessHours);
    if (options.prisma) {
      for (const file of files) await upsertSchedule(options.prisma, file.row);
      await directory.refresh();
    }
    return directory;
  }

  /** Re-reads the covers from the database (another replica or the CLI may have added some). */
  async refresh(): Promise<void> {
    if (!this.prisma) return;
    for (;;) {
      const before = this.writes;
      const rows = await listOverrides(this.prisma);
      if (before !== this.writes) continue;
      const stored = rows.filter((row) => this.base.has(row.scheduleId));
      // Nothing new (most ticks): the schedules stay the same objects, and what the memo knows stays true.
      if (coversKey(stored) === coversKey(this.stored)) return;
      this.stored = stored;
      this.rebuild();
      return;
    }
  }

  schedules(): Schedule[] {
    return [...this.merged.values()];
  }

  schedule(id: string): Schedule | undefined {
    return this.merged.get(id);
  }

  private require(id: string): Schedule {
    const schedule = this.merged.get(id);
    if (!schedule) throw new UnknownScheduleError(id, [...this.merged.keys()]);
    return schedule;
  }

  whoIsOnCall(scheduleId: string, at: DateTime): OnCallNow {
    return this.memo.whoIsOnCall(this.require(scheduleId), at, this.context);
  }

  /** The target the paging ladder needs (`ResolveOnCall`); null for an unknown schedule. */
  resolveOnCall = (scheduleId: string, at: DateTime): OnCallTarget | null =>
    this.merged.has(scheduleId) ? this.whoIsOnCall(scheduleId, at).target : null;

  /** The schedule's paging ladder, for the scheduler's ladder runs. */
  ladder(scheduleId: string): Ladder | undefined {
    return this.merged.get(scheduleId)?.ladder;
  }

  /**
   * The people to page: the person on call, or a person fallback. A channel fallback (the WES help
   * desk in business hours) and an unknown schedule give none; throwing here would abort the ticket
   * transaction that asks, so `whoIsOnCall` is where callers learn why.
   */
  onCall(scheduleId: string, at: DateTime): string[] {
    const target = this.resolveOnCall(scheduleId, at);
    return target?.kind === "person" ? [target.person] : [];
  }

  /** Whether some schedule may put this person on call (a rotation member or one of its `people`). */
  onSomeSchedule(person: string): boolean {
    return this.schedules().some((s) => knownPeople(s).has(person));
  }

  /** Times ahead that each schedule promised to cover but no one does, for an admin warning. */
  gaps(from: DateTime, to: DateTime): ScheduleGap[] {
    return this.schedules().flatMap((s) =>
      findGaps(s, from, to, this.context).map((gap) => ({ ...gap, scheduleId: s.id, scheduleName: s.name })),
    );
  }

  /** Covers added from chat or the CLI that end after `from`, oldest first. */
  covers(from: DateTime, scheduleId?: string): StoredOverride[] {
    return this.stored.filter(
      (c) => c.end.toMillis() > from.toMillis() && (!scheduleId || c.scheduleId === scheduleId),
    );
  }

  /** Validates with the pure rules (known person, not past, at most 90 days), then stores the cover. */
  async addOverride(request: CoverRequest, now: DateTime): Promise<CoverResult> {
    const picked = this.pickSchedule(request.scheduleId, request.person.replace(/^@/, ""));
    if (!picked.ok) return picked;
    const schedule = picked.schedule;
    const zone = request.zone ?? schedule.zone;
    const { person: asked, start: from, end: until } = request;
    const checked = addPureOverride(schedule, { person: asked, start: from, end: until }, now, zone);
    if (!checked.ok) return checked;
    if (!this.prisma) return failure("Covers need the database, and this process runs from the YAML alone.");
    const { person, start, end } = checked.override;
    this.writes++;
    const cover = await insertOverride(this.prisma, {
      scheduleId: schedule.id,
      person,
      start,
      end,
      createdBy: request.by,
    });
    this.stored.push(cover);
    this.rebuild();
    return { ok: true, cover, schedule: this.require(schedule.id) };
  }

  /** A future cover disappears; one in progress ends at `now`; finished ones stay on record. */
  async cancelOverride(coverId: string, now: DateTime): Promise<CancelResult> {
    const cover = this.stored.find((c) => c.id === coverId.replace(/^#/, ""));
    if (!cover || !this.prisma) {
      return failure(`There is no cover #${coverId.replace(/^#/, "")}. \`/oncall covers\` lists them.`);
    }
    const result = cancelPureOverride(this.require(cover.scheduleId), cover.id, now);
    if (!result.ok) return result;
    this.writes++;
    const ended = result.schedule.overrides.find((o) => o.id === cover.id);
    if (ended) await endOverride(this.prisma, cover.id, ended.end);
    else await deleteOverride(this.prisma, cover.id);
    this.stored = this.stored
      .map((c) => (c.id === cover.id && ended ? { ...c, end: ended.end } : c))
      .filter((c) => c.id !== cover.id || ended);
    this.rebuild();
    return ended
      ? { ok: true, cover: { ...cover, end: ended.end }, effect: "ended" }
      : { ok: true, cover, effect: "removed" };
  }

  private pickSchedule(
    id: string | undefined,
    person: string,
  ): { ok: true; schedule: Schedule } | { ok: false; error: string } {
    const all = this.schedules();
    if (id) {
      const schedule = this.merged.get(id);
      if (schedule) return { ok: true, schedule };
      return failure(`There is no on-call schedule "${id}". Schedules: ${all.map((s) => s.id).join(", ")}.`);
    }
    if (all.length === 1) return { ok: true, schedule: all[0]! };
    const mine = all.filter((s) => knownPeople(s).has(person));
    if (mine.length === 1) return { ok: true, schedule: mine[0]! };
    if (mine.length === 0) {
      const people = [...new Set(all.flatMap((s) => [...knownPeople(s)]))].sort().join(", ");
      return failure(`I don't know "${person}" on any on-call schedule. People who can cover: ${people}.`);
    }
    const ids = mine.map((s) => s.id).join(", ");
    return failure(`${person} is on several schedules (${ids}); name one, e.g. \`on ${mine[0]!.id}\`.`);
  }

  private rebuild(): void {
    this.merged = new Map(
      [...this.base].map(([id, schedule]) => {
        const mine = this.stored.filter((c) => c.scheduleId === id);
        return [id, { ...schedule, overrides: [...schedule.overrides, ...mine] }];
      }),
    );
  }
}

/** Every field of every cover, instants with their zones: equal keys mean the same schedules. */
function coversKey(covers: StoredOverride[]): string {
  return JSON.stringify(
    covers.map((c) => ({
      ...c,
      start: [c.start.toMillis(), c.start.zoneName],
      end: [c.end.toMillis(), c.end.zoneName],
    })),
  );
}
