import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { type BusinessHours, parseSchedule, type Schedule } from "../oncall/index.js";
import type { BusinessCalendar } from "../policy/calendar.js";
import { isOpen, openIntervals } from "../policy/index.js";
import type { ScheduleRow } from "./overrideStore.js";

export interface ScheduleFile {
  schedule: Schedule;
  row: ScheduleRow;
  /** The file's path and text, so later checks can name its lines. */
  path: string;
  text: string;
}

/** Two files that define the same schedule id; the message names both. */
export class DuplicateScheduleError extends Error {
  constructor(id: string, first: string, second: string) {
    super(`${second}: schedule id "${id}" is already defined in ${first}; ids must differ`);
    this.name = "DuplicateScheduleError";
  }
}

/**
 * Every `*.yaml`/`*.yml` in `dir`, in name order. A bad file throws `ScheduleFileError` naming the
 * file, line and problem, so a typo stops the start instead of silently paging no one.
 */
export function loadScheduleDir(dir: string): ScheduleFile[] {
  const names = readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  const seen = new Map<string, string>();
  return names.map((name) => {
    const path = join(dir, name);
    const text = readFileSync(path, "utf8");
    const schedule = parseSchedule(text, path);
    const first = seen.get(schedule.id);
    if (first) throw new DuplicateScheduleError(schedule.id, first, name);
    seen.set(schedule.id, name);
    const row = { id: schedule.id, name: schedule.name, zone: schedule.zone, definition: parseYaml(text) };
    return { schedule, row, path, text };
  });
}

/** A policy's business calendar in the shape the on-call module takes (it never imports the engine). */
export function businessHoursOf(calendar: BusinessCalendar): BusinessHours {
  return {
    isOpen: (t) => isOpen(calendar, t),
    openIntervals: (from, to) => openIntervals(calendar, from, to),
  };
}
