import { z } from "zod";
import { parseClock, type TimeWindow, WEEKDAYS } from "./calendar.js";
import { chatSettingsSchema } from "./chatSettings.js";
import { DEADLINE_HINT, type Deadline, DURATION_HINT, parseDeadline, parseSpan } from "./duration.js";

/** Support targets and escalations are bounded to a year: longer ones are typos and cost time to compute. */
const MAX_SPAN_MS = 366 * 24 * 3_600_000;
const TOO_LONG = "longer than a year; support policies are bounded to one year (e.g. 260 business days)";

function deadlineTooLong(deadline: Deadline): boolean {
  if (deadline.kind === "businessDays") return deadline.days > 366;
  return deadline.kind === "duration" && deadline.span.ms > MAX_SPAN_MS;
}

/**
 * The policy file format. One zod schema gives the parsed types, the validation messages (with
 * paths that the loader maps to YAML lines) and the JSON Schema editors use (`z.toJSONSchema`).
 */

const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "use lowercase letters, digits and dashes");

const window = z
  .string()
  .regex(/^\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}$/, 'expected opening hours like "09:00-17:00"')
  .transform((text, ctx): TimeWindow => {
    const [from, to] = text.split("-").map((part) => parseClock(part));
    if (from == null || to == null || from === to || from >= 1440) {
      ctx.addIssue({ code: "custom", message: `"${text}" is not a window between 00:00 and 24:00` });
      return z.NEVER;
    }
    return { from, to };
  });

const windows = z.array(window);

export const span = z
  .string()
  .describe(DURATION_HINT)
  .transform((text, ctx) => {
    const parsed = parseSpan(text);
    if (!parsed) ctx.addIssue({ code: "custom", message: DURATION_HINT });
    else if (Math.abs(parsed.ms) > MAX_SPAN_MS) ctx.addIssue({ code: "custom", message: TOO_LONG });
    return parsed && Math.abs(parsed.ms) <= MAX_SPAN_MS ? parsed : z.NEVER;
  });

const deadline = z
  .string()
  .describe(DEADLINE_HINT)
  .transform((text, ctx) => {
    const parsed = parseDeadline(text);
    if (!parsed) ctx.addIssue({ code: "custom", message: DEADLINE_HINT });
    else if (deadlineTooLong(parsed)) ctx.addIssue({ code: "custom", message: TOO_LONG });
    return parsed && !deadlineTooLong(parsed) ? parsed : z.NEVER;
  });

const hours = z.strictObject({
  weekdays: windows.optional().describe("shorthand for mon-fri"),
  ...Object.fromEntries(WEEKDAYS.map((day) => [day, windows.optional()])),
} as Record<"weekdays" | (typeof WEEKDAYS)[number], z.ZodOptional<typeof windows>>);

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a local date like "2026-12-24"');

export const calendarSchema = z.strictObject({
  zone: z.string().describe('IANA time zone, e.g. "America/Denver"'),
  alwaysOpen: z.boolean().optional().describe("24x7: open every minute of every day"),
  hours: hours.optional(),
  holidays: z
    .strictObject({
      country: z.string(),
      state: z.string().optional(),
      region: z.string().optional(),
      types: z.array(z.enum(["public", "bank", "school", "optional", "observance"])).default(["public"]),
    })
    .optional(),
  closedDates: z.array(localDate).optional(),
  specialHours: z.array(z.strictObject({ date: localDate, hours: windows })).optional(),
});

const oneOrMany = z.union([key, z.array(key)]).transform((v) => (Array.isArray(v) ? v : [v]));

export const conditions = z.strictObject({
  severity: oneOrMany.optional(),
  channel: oneOrMany.optional(),
  plan: oneOrMany.optional(),
  category: oneOrMany.optional(),
  openedInBusinessHours: z.boolean().optional(),
});

const percent = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?\s*%$/, 'expected a percentage like "95%"')])
  .transform((v) => (typeof v === "number" ? v : Number.parseFloat(v)))
  .pipe(z.number().gt(0).max(100));

const warning = z.union([
  z.strictObject({ before: span.describe("before the due instant, on the target's clock") }),
  z.strictObject({ after: span.describe("after the target starts, on its own clock") }),
  z.strictObject({ percent: percent.describe("share of the target's time used up") }),
]);

export const TARGET_NAMES = ["firstResponse", "nextUpdate", "resolution"] as const;

const targetRule = z.strictObject({
  target: z.enum(TARGET_NAMES),
  when: conditions.optional(),
  within: deadline,
  goal: percent.optional().describe("compliance goal, e.g. 95% of texts"),
  grace: span
    .optional()
    .describe(
      "within: immediate only: a first response this long after the start still meets the target (default 15m); only then is it breached",
    ),
  escalate: z
    .boolean()
    .optional()
    .describe(
      "false: a breach of this target is counted in reports but starts no escalation step (default true)",
    ),
  warn: warning.optional(),
  pause: z
    .boolean()
    .optional()
    .describe("paused while waiting on the customer (default: not for firstResponse)"),
  note: z.string().optional(),
});

const action = z.union([
  z.strictObject({ postToChannel: z.string().min(1) }),
  z.strictObject({ pageOncall: z.string().min(1) }),
  z.strictObject({
    notify: z.union([
      z.strictObject({ role: z.string(), person: z.string().optional() }),
      z.strictObject({ person: z.string() }),
    ]),
  }),
  z.strictObject({ raiseSeverity: key }),
  z
    .strictObject({ tellCustomer: z.string().min(1) })
    .describe("a message posted in the ticket's own thread, which the customer reads"),
]);

const escalation = z.strictObject({
  id: key,
  from: z.enum(["opened", "due", "breach"]),
  target: z.enum(TARGET_NAMES).optional(),
  after: span.optional(),
  when: conditions
    .extend({
      afterHours: z.boolean().optional(),
      afterHoursAt: z
        .enum(["opening", "step"])
        .optional()
        .describe(
          "when afterHours is judged: at the opening of the ticket (cycle), the default, or at the step's own instant",
        ),
    })
    .optional(),
  actions: z.array(action).min(1),
  announce: z
    .enum(["triage", "thread", "none"])
    .default("triage")
    .describe(
      "where the step's own note (📣 Escalation: id) is posted: the ticket's internal triage channel (default), its customer-visible thread, or nowhere",
    ),
});

const labelled = z.strictObject({ key, label: z.string() });

export const policySchema = z.strictObject({
  id: key,
  name: z.string(),
  calendar: calendarSchema,
  severities: z.array(labelled).min(1).describe("most urgent first"),
  channels: z.array(key).min(1),
  plans: z.array(labelled).min(1),
  categories: z.array(key).min(1),
  defaults: z.strictObject({ severity: key, channel: key, plan: key, category: key }),
  targets: z.array(targetRule),
  escalations: z.array(escalation).default([]),
  inactivity: z
    .strictObject({ autoResolveAfter: span, reminderBefore: span.optional() })
    .optional()
    .describe("auto-resolve after this long waiting on the customer without a reply"),
  chat: chatSettingsSchema.optional().describe("round-robin, customer status lines, weekly SLA digest"),
});

export type PolicyFile = z.output<typeof policySchema>;
export type PolicyConditions = z.output<typeof conditions>;
export type TargetRule = z.output<typeof targetRule>;
export type EscalationStep = z.output<typeof escalation>;
export type EscalationActionSpec = z.output<typeof action>;
export type TargetName = (typeof TARGET_NAMES)[number];
