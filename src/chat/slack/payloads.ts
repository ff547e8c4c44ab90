import { z } from "zod";
import { slashCommandOf } from "./slashCommand.js";

/**
 * The shapes of every inbound Slack request Escalator handles, checked before Bolt or any handler sees the
 * body. Loose objects: Slack adds fields over time, and only what the handlers rely on is required.
 */
const id = z.string().min(1).max(255);
const text = z.string().max(40_000);
const user = z.looseObject({ id, team_id: id.optional() });
const team = z.looseObject({ id }).nullable().optional();

const blockActions = z.looseObject({
  type: z.literal("block_actions"),
  user,
  team,
  trigger_id: id.optional(),
  actions: z
    .array(z.looseObject({ action_id: id, action_ts: id.optional(), value: text.optional() }))
    .min(1)
    .max(25),
});

const viewPayload = z.looseObject({
  id,
  callback_id: z.string().max(255),
  private_metadata: z.string().max(3_000).default(""),
  state: z.looseObject({ values: z.record(z.string(), z.unknown()) }).optional(),
});

const viewSubmission = z.looseObject({
  type: z.enum(["view_submission", "view_closed"]),
  user,
  team,
  view: viewPayload,
});

const shortcut = z.looseObject({
  type: z.enum(["message_action", "shortcut"]),
  user,
  team,
  callback_id: id,
  trigger_id: id,
});

const suggestion = z.looseObject({ type: z.literal("block_suggestion"), user, action_id: id });

export const interactivePayload = z.discriminatedUnion("type", [
  blockActions,
  viewSubmission,
  shortcut,
  suggestion,
]);

const eventCallback = z.looseObject({
  type: z.literal("event_callback"),
  team_id: id.optional(),
  event_id: id,
  event: z.looseObject({ type: id }),
});

export const eventsEnvelope = z.discriminatedUnion("type", [
  eventCallback,
  z.looseObject({ type: z.literal("url_verification"), challenge: z.string().min(1).max(255) }),
  z.looseObject({ type: z.literal("app_rate_limited") }),
]);

export type InboundKind = "command" | "interactive" | "event" | "ssl_check" | "url_verification";

export interface CheckedRequest {
  kind: InboundKind;
  /** Identifies one invocation of a slash command (its trigger_id): a replay carries the same one. */
  commandKey?: string;
  /** The slash command's name (`/ticket`). */
  command?: string;
}

/** The request's kind when its body is one Escalator understands; undefined otherwise (answer 400). */
export function checkSlackBody(contentType: string, raw: string): CheckedRequest | undefined {
  if (contentType.includes("application/json")) {
    const body = safeJson(raw);
    const parsed = eventsEnvelope.safeParse(body);
    if (!parsed.success) return undefined;
    return { kind: parsed.data.type === "url_verification" ? "url_verification" : "event" };
  }
  if (!contentType.includes("application/x-www-form-urlencoded")) return undefined;
  const form = new URLSearchParams(raw);
  if (form.get("ssl_check") === "1") return { kind: "ssl_check" };
  const payload = form.get("payload");
  if (payload !== null) {
    return interactivePayload.safeParse(safeJson(payload)).success ? { kind: "interactive" } : undefined;
  }
  const command = slashCommandOf(form);
  return command && { kind: "command", commandKey: command.key, command: command.command };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
