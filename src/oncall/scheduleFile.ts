import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { DateTime } from "luxon";
import { didYouMean } from "../suggest.js";
import { readableIssues } from "../yaml/issues.js";
import { formatPath, parseLocatedYaml } from "../yaml/locate.js";
import type {
  IsoWeekday,
  Layer,
  Override,
  Restriction,
  Schedule,
  ScheduleCalendar,
  ShiftLength,
  WallClock,
} from "./model.js";
import { collectPeople } from "./people.js";
import { type ScheduleFileData, scheduleFileSchema, WEEKDAY_NAMES } from "./scheduleSchema.js";

export interface ScheduleProblem {
  file: string;
  line: number;
  path: string;
  message: string;
}

/** A schedule file that cannot be used; `message` has one `file:line path: problem` line each. */
export class ScheduleFileError extends Error {
  constructor(readonly problems: ScheduleProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line} ${p.path}: ${p.message}`).join("\n"));
    this.name = "ScheduleFileError";
  }
}

type Path = (string | number)[];
interface Issue {
  path: Path;
  message: string;
}

function parseClock(text: string): WallClock {
  const [hour, minute] = text.split(":").map(Number);
  return { hour: hour!, minute: minute! };
}

function minuteOfDay(text: string): number {
  const { hour, minute } = parseClock(text);
  return hour * 60 + minute;
}

function toShiftLength(shift: ScheduleFileData["layers"][number]["rotation"]["shift"]): ShiftLength {
  if (shift === "daily") return { every: 1, unit: "days" };
  if (shift === "weekly") return { every: 1, unit: "weeks" };
  return shift;
}

function toRestriction(r: ScheduleFileData["layers"][number]["only"][number]): Restriction {
  if (r === "afterHours" || r === "businessHours") return { kind: r };
  const days = r.days.map((d) => (WEEKDAY_NAMES.indexOf(d) + 1) as IsoWeekday);
  return { kind: "weekly", days, fromMinute: minuteOfDay(r.from), toMinute: minuteOfDay(r.to) };
}

function toLayer(data: ScheduleFileData["layers"][number], zone: string): Layer {
  const { rotation } = data;
  const start = DateTime.fromISO(rotation.start);
  return {
    name: data.name,
    only: data.only.map(toRestriction),
    rotation: {
      members: rotation.members,
      shift: toShiftLength(rotation.shift),
      handoff: parseClock(rotation.handoff),
      startDate: { year: start.year, month: start.month, day: start.day },
      zone: rotation.zone ?? zone,
    },
  };
}

/** Local times without an offset are read in the schedule's zone. */
export function parseInstant(text: string, zone: string): DateTime {
  return DateTime.fromISO(text, { zone });
}

function toOverride(data: ScheduleFileData["overrides"][number], zone: string): Override {
  const start = parseInstant(data.start, zone);
  const end = parseInstant(data.end, zone);
  const id = data.id ?? `${data.person}@${start.toUTC().toISO()}`;
  return { id, person: data.person, start, end, ...(data.reason ? { reason: data.reason } : {}) };
}

function toSchedule(data: ScheduleFileData): Schedule {
  const fallback = data.fallback
    ? "person" in data.fallback
      ? { kind: "person" as const, person: data.fallback.person }
      : { kind: "channel" as const, channel: data.fallback.channel }
    : null;
  const ladder = data.ladder && {
    repeat: data.ladder.repeat,
    levels: data.ladder.levels.map((level) => ({
      waitMinutes: level.waitMinutes,
      target:
        "schedule" in level
          ? { kind: "schedule" as const, schedule: level.schedule }
          : { kind: "person" as const, person: level.person },
    })),
  };
  return {
    id: data.id,
    name: data.name,
    zone: data.zone,
    mustCover: data.mustCover === "always" ? "always" : data.mustCover.map(toRestriction),
    people: data.people,
    layers: data.layers.map((layer) => toLayer(layer, data.zone)),
    overrides: data.overrides.map((o) => toOverride(o, data.zone)),
    fallback,
    ...(ladder ? { ladder } : {}),
    ...(data.handoffNotices ? { handoffNotices: data.handoffNotices } : {}),
    ...(data.calendar ? { calendar: toCalendar(data.calendar) } : {}),
  };
}

function toCalendar(data: NonNullable<ScheduleFileData["calendar"]>): ScheduleCalendar {
  return "policy" in data && typeof data.policy === "string"
    ? { kind: "policy", policy: data.policy }
    : { kind: "inline", definition: data };
}

/** Checks zod cannot express alone: references between parts of the file. */
function crossCheck(data: ScheduleFileData): Issue[] {
  const issues: Issue[] = [];
  const people = collectPeople(
    data.layers.map((l) => l.rotation),
    data.people,
  );
  const unknown = (who: string) =>
    `"${who}" is not in any rotation or in people${didYouMean(who, people)}: add them to people first`;
  const seen = new Set<string>();
  data.layers.forEach((layer, i) => {
    if (seen.has(layer.name))
      issues.push({ path: ["layers", i, "name"], message: "layer names must differ" });
    seen.add(layer.name);
  });
  data.overrides.forEach((o, i) => {
    if (!people.has(o.person)) issues.push({ path: ["overrides", i, "person"], message: unknown(o.person) });
    const start = parseInstant(o.start, data.zone);
    const end = parseInstant(o.end, data.zone);
    if (!start.isValid) issues.push({ path: ["overrides", i, "start"], message: "is not a date and time" });
    if (!end.isValid) issues.push({ path: ["overrides", i, "end"], message: "is not a date and time" });
    if (start.isValid && end.isValid && end <= start) {
      issues.push({ path: ["overrides", i, "end"], message: "must be after start" });
    }
  });
  if (data.fallback && "person" in data.fallback && !people.has(data.fallback.person)) {
    issues.push({ path: ["fallback", "person"], message: unknown(data.fallback.person) });
  }
  data.ladder?.levels.forEach((level, i) => {
    if ("person" in level && !people.has(level.person)) {
      issues.push({ path: ["ladder", "levels", i, "person"], message: unknown(level.person) });
    }
  });
  return issues;
}

/** Parses and validates one schedule file's text; `fileName` only labels the error messages. */
export function parseSchedule(text: string, fileName: string): Schedule {
  const yaml = parseLocatedYaml(text);
  const file = basename(fileName);
  if (yaml.syntaxErrors.length > 0) {
    throw new ScheduleFileError(
      yaml.syntaxErrors.map((e) => ({ file, line: e.line, path: "(yaml)", message: e.message })),
    );
  }
  const toProblem = (issue: { path: readonly PropertyKey[]; message: string }): ScheduleProblem => ({
    file,
    line: yaml.lineOf(issue.path),
    path: formatPath(issue.path),
    message: issue.message,
  });
  const result = scheduleFileSchema.safeParse(yaml.value);
  if (!result.success) {
    const issues = readableIssues(scheduleFileSchema, yaml.value, result.error.issues, "unknownKeys");
    throw new ScheduleFileError(issues.map(toProblem));
  }
  const issues = crossCheck(result.data);
  if (issues.length > 0) throw new ScheduleFileError(issues.map(toProblem));
  return toSchedule(result.data);
}

export function loadScheduleFile(path: string): Schedule {
  return parseSchedule(readFileSync(path, "utf8"), path);
}
