import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { type BusinessHours, parseSchedule, type Schedule } from "../oncall/index.js";
import type { BusinessCalendar } from "../policy/calendar.js";
import { isOpen, loadPolicyFile, openIntervals, type Policy, parseCalendar } from "../policy/index.js";
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
export function loadScheduleDir(dir: string, policies?: PolicyCalendars): ScheduleFile[] {
  const names = readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort();
  const seen = new Map<string, string>();
  // Without a lookup, policies are read from the folder above the schedules (policies/ for policies/oncall).
  const lookup = policies ?? policyCalendars(dirname(dir.replace(/\/+$/, "")));
  return names.map((name) => {
    const path = join(dir, name);
    const text = readFileSync(path, "utf8");
    const schedule = bindCalendar(parseSchedule(text, path), name, lookup);
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

/** A policy's business calendar by policy id, or undefined when there is no such policy. */
export type PolicyCalendars = (policyId: string) => BusinessCalendar | undefined;

/**
 * Policies a schedule may name for its calendar: the running one, or `<id>.yaml` in `folder` (the running
 * policy's folder; read once each). A file there that is not a valid policy stops the start with its errors.
 */
export function policyCalendars(folder: string, running?: Policy): PolicyCalendars {
  const loaded = new Map<string, BusinessCalendar | undefined>(
    running ? [[running.id, running.calendar]] : [],
  );
  return (id) => {
    if (!loaded.has(id)) {
      const path = join(folder, `${id}.yaml`);
      const policy = existsSync(path) ? loadPolicyFile(path) : undefined;
      loaded.set(id, policy?.id === id ? policy.calendar : undefined);
    }
    return loaded.get(id);
  };
}

/**
 * Gives a schedule the business calendar it names, so `afterHours` means its own hours whichever policy
 * runs. A schedule that names none keeps the directory's default (the running policy's calendar).
 */
function bindCalendar(schedule: Schedule, file: string, policies: PolicyCalendars): Schedule {
  const source = schedule.calendar;
  if (!source) return schedule;
  if (source.kind === "inline") {
    return {
      ...schedule,
      businessHours: businessHoursOf(parseCalendar(source.definition, `${file}: calendar`)),
    };
  }
  const calendar = policies(source.policy);
  if (!calendar) {
    throw new Error(
      `${file}: calendar.policy: there is no policy "${source.policy}" (a policy's id; ` +
        `its file must sit in the policy folder as ${source.policy}.yaml)`,
    );
  }
  return { ...schedule, businessHours: businessHoursOf(calendar) };
}
