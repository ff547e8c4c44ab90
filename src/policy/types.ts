import type { DateTime } from "luxon";
import type { BusinessCalendar } from "./calendar.js";
import type { ChatSettings } from "./chatSettings.js";
import type { Clock, Span } from "./duration.js";
import type { EscalationStep, TargetName, TargetRule } from "./schema.js";

export type { TargetName } from "./schema.js";

/** What a ticket is about; each field is a key from the policy's lists. */
export interface TicketFacts {
  severity: string;
  channel: string;
  plan: string;
  category: string;
}

export interface Labelled {
  key: string;
  label: string;
}

export interface Policy {
  id: string;
  name: string;
  /** IANA zone of the business calendar; every instant the engine returns is in this zone. */
  zone: string;
  calendar: BusinessCalendar;
  /** Most urgent first. */
  severities: Labelled[];
  channels: string[];
  plans: Labelled[];
  categories: string[];
  defaults: TicketFacts;
  targets: TargetRule[];
  escalations: EscalationStep[];
  inactivity?: { autoResolveAfter: Span; reminderBefore?: Span | undefined } | undefined;
  /** File the policy was read from, for messages. */
  source: string;
  /** Chat behaviour (round-robin, status lines, digest); defaults when the file has no `chat:` section. */
  chat: ChatSettings;
}

/**
 * The ticket log as the engine reads it. The ticket service appends; the engine recomputes
 * everything from the log, so a severity change or a pause applies retroactively and the same
 * log always yields the same deadlines and action keys.
 */
export type PolicyEvent =
  | ({ type: "opened"; at: DateTime } & Partial<TicketFacts>)
  /** A public reply by a person on the support side; the bot's own messages are never logged as this. */
  | { type: "agentReply"; at: DateTime }
  | { type: "customerReply"; at: DateTime }
  | { type: "waitingOnCustomer"; at: DateTime }
  | { type: "resumed"; at: DateTime }
  | { type: "severityChanged"; at: DateTime; severity: string; by?: string; why?: string }
  | { type: "resolved"; at: DateTime; reason?: string }
  /** Starts a new cycle: targets restart from this instant. */
  | { type: "reopened"; at: DateTime }
  | { type: "closed"; at: DateTime };

export interface TicketHistory {
  openedAt: DateTime;
  events: PolicyEvent[];
}

export type TargetState = "pending" | "met" | "breached" | "paused";

export interface TargetStatus {
  target: TargetName;
  /** 1-based cycle (a reopen starts the next one). */
  cycle: number;
  /** nextUpdate only: which agent update of the cycle this cadence follows (1-based). */
  instance?: number;
  clock: Clock;
  startedAt: DateTime;
  /** null when paused before the due instant (it moves when the clock resumes) or when there is no SLA. */
  due: DateTime | null;
  warnAt: DateTime | null;
  state: TargetState;
  metAt: DateTime | null;
  /** When the target was satisfied, in time or late (a breached first response answered later); else null. */
  stoppedAt?: DateTime | null;
  /** Compliance goal in percent, where the policy has one (WETx texts: 95). */
  goal: number | null;
  /** The `within` text of the rule that applied, e.g. "end of next business day". */
  within: string;
  /**
   * `within: immediate`: owed now ("respond now"); `due` is the end of the grace the policy gives a first
   * response, and only then is the target breached.
   */
  immediate: boolean;
  /** After a severity change that rescheduled this target: the due instant before it (null: none). */
  previousDue?: DateTime | null;
  /** The severity change that rescheduled it. */
  rescheduledAt?: DateTime;
}

export type EscalationAction =
  | { type: "postToChannel"; channel: string }
  | { type: "pageOncall"; schedule: string }
  | { type: "notify"; role?: string; person?: string }
  | { type: "raiseSeverity"; to: string }
  /** Words for the customer, posted in the ticket's thread. */
  | { type: "tellCustomer"; text: string };

export type PlannedAction =
  | { key: string; at: DateTime; kind: "warn" | "breach"; target: TargetName; due: DateTime }
  | {
      key: string;
      at: DateTime;
      kind: "escalate";
      step: string;
      actions: EscalationAction[];
      /** Where the step's own note goes: the triage channel (team only), the ticket's thread, or nowhere. */
      announce?: "triage" | "thread" | "none";
    }
  | { key: string; at: DateTime; kind: "autoResolveReminder" | "autoResolve"; waitingSince: DateTime };

export interface Evaluation {
  cycle: number;
  /** Facts in force now (the latest severity, after any change). */
  facts: TicketFacts;
  openedInBusinessHours: boolean;
  targets: TargetStatus[];
  /** Every action of the current cycle whose instant is <= now; keys are stable across calls. */
  actionsDue: PlannedAction[];
  /** Everything the current cycle will do if nothing else happens, past and future, in order. */
  timeline: PlannedAction[];
  /** The next instant at which the evaluation changes, or null when nothing more will happen. */
  nextCheckAt: DateTime | null;
}
