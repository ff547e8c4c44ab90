import { DateTime } from "luxon";
import { zoneNamed } from "../zone.js";
import type { Rotation } from "./model.js";

/**
 * Rotation arithmetic on the wall clock, so a 08:00 handoff is at 08:00 local time on both sides of
 * a DST change (GoAlert's rule, PR #1252; Grafana OnCall #5247 shows the 1 h drift you get from
 * adding fixed seconds). Shift k starts at the wall-clock time `start + k × length`, resolved in
 * the rotation's zone with luxon's rules:
 *  - a wall-clock time that does not exist (02:30 on a spring-forward day) moves forward an hour;
 *  - a wall-clock time that happens twice (01:30 on a fall-back day) is its first occurrence.
 * Shift k ends exactly where shift k + 1 starts, so there is never a gap or overlap between shifts,
 * and a shift that spans a DST change is an hour shorter or longer in real time.
 */

export interface RotationShift {
  index: number;
  person: string;
  start: DateTime;
  end: DateTime;
}

const UNIT_MS = { hours: 3_600_000, days: 86_400_000, weeks: 7 * 86_400_000 } as const;

/** The local wall-clock fields of `t`, read as if they were UTC: a count that DST cannot disturb. */
function wallMillis(t: DateTime, zone: string): number {
  return t.setZone(zoneNamed(zone)).setZone("utc", { keepLocalTime: true }).toMillis();
}

function fromWallMillis(wall: number, zone: string): DateTime {
  const w = DateTime.fromMillis(wall, { zone: "utc" });
  const { year, month, day, hour, minute, second, millisecond } = w;
  const local = DateTime.fromObject(
    { year, month, day, hour, minute, second, millisecond },
    { zone: zoneNamed(zone) },
  );
  // Only a time just after a change of offset can be the second of two occurrences; checking
  // that first skips the costly getPossibleOffsets for almost every handoff.
  if (local.minus({ hours: 3 }).offset === local.offset) return local;
  // luxon picks the later of two occurrences; a handoff belongs at the first one.
  const [first] = local.getPossibleOffsets().sort((a, b) => a.toMillis() - b.toMillis());
  return first ?? local;
}

const startWallCache = new WeakMap<Rotation, number>();

function startWallMillis(rotation: Rotation): number {
  let wall = startWallCache.get(rotation);
  if (wall === undefined) {
    const { startDate, handoff } = rotation;
    wall = DateTime.fromObject({ ...startDate, ...handoff }, { zone: "utc" }).toMillis();
    startWallCache.set(rotation, wall);
  }
  return wall;
}

function shiftMillis(rotation: Rotation): number {
  return rotation.shift.every * UNIT_MS[rotation.shift.unit];
}

/** When shift `index` starts (index 0 is the first handoff on the start date). */
export function handoffAt(rotation: Rotation, index: number): DateTime {
  return fromWallMillis(startWallMillis(rotation) + index * shiftMillis(rotation), rotation.zone);
}

/** The index of the shift running at `t`, or -1 before the rotation starts. */
export function shiftIndexAt(rotation: Rotation, t: DateTime): number {
  const at = t.toMillis();
  if (at < handoffAt(rotation, 0).toMillis()) return -1;
  const length = shiftMillis(rotation);
  let index = Math.floor((wallMillis(t, rotation.zone) - startWallMillis(rotation)) / length);
  // The wall-clock estimate can be one shift off inside a repeated or skipped DST hour.
  while (index > 0 && handoffAt(rotation, index).toMillis() > at) index--;
  while (handoffAt(rotation, index + 1).toMillis() <= at) index++;
  return index;
}

function shiftByIndex(rotation: Rotation, index: number): RotationShift {
  const person = rotation.members[index % rotation.members.length]!;
  return { index, person, start: handoffAt(rotation, index), end: handoffAt(rotation, index + 1) };
}

export function rotationShiftAt(rotation: Rotation, t: DateTime): RotationShift | null {
  const index = shiftIndexAt(rotation, t);
  return index < 0 ? null : shiftByIndex(rotation, index);
}

/** Every shift overlapping [from, to), unclipped. Nothing before the rotation's first handoff. */
export function rotationShifts(rotation: Rotation, from: DateTime, to: DateTime): RotationShift[] {
  const shifts: RotationShift[] = [];
  for (let index = Math.max(0, shiftIndexAt(rotation, from)); ; index++) {
    const shift = shiftByIndex(rotation, index);
    if (shift.start.toMillis() >= to.toMillis()) break;
    shifts.push(shift);
  }
  return shifts;
}
