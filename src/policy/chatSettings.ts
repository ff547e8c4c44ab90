import { z } from "zod";

/**
 * How Escalator behaves in chat for this vendor (the policy file's optional `chat:` section): round-robin
 * assignment, the customer-facing status lines, the weekly SLA digest. Every part has defaults.
 */

const statusText = z.string().min(1).max(500);

/** The customer-facing line posted in the thread on each status change; `{number}` is the ticket number. */
export const defaultStatusLines = {
  received: "We received your request (#{number}). Someone from support will answer here.",
  working: "Support is working on #{number}.",
  waiting: "We are waiting on you: please answer in this thread so we can go on with #{number}.",
  resolved: "#{number} is resolved. If the problem comes back, reply in this thread to reopen it.",
} as const;

const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

const roundRobinPool = z
  .strictObject({
    schedules: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        "on-call schedule ids (policies/oncall): whoever they put on call when a ticket opens is on shift and takes turns",
      ),
    agents: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        "chat user ids (Slack U…) or terminal names; with `schedules`, the fallback when the schedules have nobody on shift",
      ),
    channels: z
      .array(z.string().min(1))
      .optional()
      .describe("only tickets opened in these channels (ids as the platform gives them); default all"),
  })
  .refine((pool) => pool.schedules || pool.agents, "list `schedules` (who is on shift), `agents`, or both");

export type RoundRobinConfig = z.output<typeof roundRobinPool>;

export const chatSettingsSchema = z.strictObject({
  roundRobin: z
    .union([roundRobinPool, z.array(roundRobinPool).min(1)])
    .optional()
    .describe(
      "assign each new ticket to the agent on shift who has waited longest, skipping agents marked away; a list: one pool per set of channels, the first that matches",
    ),
  statusLines: z
    .strictObject({
      received: statusText.optional(),
      working: statusText.optional(),
      waiting: statusText.optional(),
      resolved: statusText.optional(),
    })
    .optional()
    .describe("the customer-facing status line posted in the thread; {number} is the ticket number"),
  digest: z
    .strictObject({
      channel: z.string().min(1).describe("where the weekly SLA digest is posted, e.g. #support-leads"),
      weekday: z.enum(weekdays).default("monday"),
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day like 09:00")
        .default("09:00")
        .describe("local time in the policy's zone; the goals are the targets' own `goal`"),
    })
    .optional(),
});

export type ChatSettingsFile = z.output<typeof chatSettingsSchema>;

export interface ChatSettings {
  roundRobin?: RoundRobinConfig | RoundRobinConfig[] | undefined;
  statusLines: Record<keyof typeof defaultStatusLines, string>;
  digest?:
    | {
        channel: string;
        weekday: (typeof weekdays)[number];
        time: string;
        goals?: Record<string, number> | undefined;
      }
    | undefined;
}

export function compileChatSettings(file: ChatSettingsFile | undefined): ChatSettings {
  return {
    roundRobin: file?.roundRobin,
    statusLines: { ...defaultStatusLines, ...stripUndefined(file?.statusLines ?? {}) },
    digest: file?.digest,
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const weekdayNumber = (day: (typeof weekdays)[number]) => weekdays.indexOf(day) + 1;
