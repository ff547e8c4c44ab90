import { DateTime, IANAZone } from "luxon";
import { z } from "zod";

/** The YAML shape of a schedule file, as written by people (see policies/oncall/*.yaml). */

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const clockTime = z
  .string({ error: 'must be a time like "08:00"' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like "08:00" (24-hour clock)');

// A window may end at 24:00, the end of the day; a handoff may not.
const windowEnd = z
  .string({ error: 'must be a time like "17:00"' })
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time like "17:00" (24-hour clock, or "24:00")');

const localDate = z
  .string({ error: "must be a date like 2026-01-05" })
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid, {
    error: "must be a real date like 2026-01-05",
  });

const zoneName = z
  .string({ error: "must be an IANA time zone like America/Denver" })
  .refine((s) => IANAZone.isValidZone(s), { error: "must be an IANA time zone like America/Denver" });

const name = z.string({ error: "must be a name" }).trim().min(1, "must not be empty");

const weeklyWindow = z.strictObject({
  days: z
    .array(z.enum(WEEKDAYS, { error: `each day must be one of ${WEEKDAYS.join(", ")}` }))
    .min(1, "must list at least one day"),
  from: clockTime,
  to: windowEnd,
});

const restriction = z.union([z.literal("afterHours"), z.literal("businessHours"), weeklyWindow], {
  error: 'must be "afterHours", "businessHours" or a window { days: [sat, sun], from: "00:00", to: "24:00" }',
});

const shiftLength = z.union(
  [
    z.literal("daily"),
    z.literal("weekly"),
    z.strictObject({
      every: z.number().int().positive("must be a whole number above 0"),
      unit: z.enum(["hours", "days", "weeks"], { error: "must be hours, days or weeks" }),
    }),
  ],
  { error: "must be daily, weekly or { every: 12, unit: hours }" },
);

const rotation = z.strictObject({
  members: z.array(name).min(1, "must list at least one person"),
  shift: shiftLength,
  handoff: clockTime,
  start: localDate,
  zone: zoneName.optional(),
});

const layer = z.strictObject({
  name,
  rotation,
  only: z.array(restriction).default([]),
});

const instant = z.string({ error: 'must be a date and time like "2026-03-07T18:00"' });

const override = z.strictObject({
  id: name.optional(),
  person: name,
  start: instant,
  end: instant,
  reason: z.string().optional(),
});

const fallback = z.union([z.strictObject({ person: name }), z.strictObject({ channel: name })], {
  error: 'must be { person: name } or { channel: "#help-desk" }',
});

const ladderLevel = z.union(
  [
    z.strictObject({ schedule: name, waitMinutes: z.number().int().positive("must be at least 1 minute") }),
    z.strictObject({ person: name, waitMinutes: z.number().int().positive("must be at least 1 minute") }),
  ],
  { error: "must be { schedule: id, waitMinutes: 15 } or { person: name, waitMinutes: 15 }" },
);

const ladder = z.strictObject({
  // PagerDuty caps repeats at 9; more than that is a page storm, not an escalation.
  repeat: z.number().int().min(0, "must be 0 or more").max(9, "must be at most 9"),
  levels: z.array(ladderLevel).min(1, "must have at least one level"),
});

export const scheduleFileSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "must be lowercase letters, digits and dashes (wes-after-hours)"),
  name,
  zone: zoneName,
  mustCover: z
    .union([z.literal("always"), z.array(restriction).min(1, "must list at least one window")], {
      error: 'must be "always" or a list like [afterHours]',
    })
    .default("always"),
  people: z.array(name).default([]),
  layers: z.array(layer).min(1, "must have at least one layer"),
  overrides: z.array(override).default([]),
  fallback: fallback.optional(),
  ladder: ladder.optional(),
  /** A channel told at every handoff who is now on call ("#wes-help-desk"). */
  handoffNotices: z.strictObject({ channel: name }).optional(),
  /**
   * The business calendar `afterHours` and `businessHours` mean for this schedule, whatever policy runs:
   * `{ policy: wes }` (that policy's calendar) or `{ zone, hours, holidays, closedDates, specialHours }`
   * written like a policy's calendar (checked when the schedules are loaded).
   */
  calendar: z
    .union(
      [
        z.strictObject({ policy: name }),
        z
          .looseObject({ zone: zoneName })
          .refine((c) => !("policy" in c), { error: "give policy or a calendar, not both" }),
      ],
      {
        error:
          'must be { policy: wes } or a calendar { zone: America/New_York, hours: { weekdays: ["08:00-17:00"] } }',
      },
    )
    .optional(),
});

export type ScheduleFileData = z.infer<typeof scheduleFileSchema>;
export const WEEKDAY_NAMES = WEEKDAYS;
