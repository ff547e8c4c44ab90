import type { DateTime } from "luxon";
import type { Destination, MessageBody, RichText, TicketView } from "../chat/port.js";
import type { Ladder, OnCallTarget } from "../oncall/model.js";
import type { EscalationAction, PlannedAction } from "../policy/types.js";
import type { NewNotification } from "../store/outbox.js";
import { inZone } from "../zone.js";
import type { TicketEventPayload } from "./events.js";
import { plainWords } from "./narrate.js";

/** Who to page or notify, resolved at the instant an action fires. Wired to the on-call directory. */
export interface Recipients {
  /** The person (or fallback channel) a schedule puts on call at an instant. */
  onCall(scheduleId: string, at: DateTime): OnCallTarget | null;
  /** The paging ladder of a schedule, when its file has one. */
  ladder(scheduleId: string): Ladder | undefined;
  /** Who hears about a ladder nobody acknowledged: the schedule's fallback. */
  fallback(scheduleId: string): OnCallTarget | null;
  /** A role (tam, legal, ceo …) or a person → the people it names. */
  people(who: string): string[];
  /** Where a page that reaches nobody is reported (the admin channel); the ticket's thread without one. */
  admin?(): Destination | undefined;
  /** How a role or person is shown to people ("IT manager" for it-manager); the name itself without one. */
  label?(who: string): string;
  /** A person's user id on a chat platform. */
  chatId(person: string, platform: Destination["platform"]): string;
  /** The schedules a page can be reassigned to. */
  schedules?(): string[];
}

export const noRecipients: Recipients = {
  onCall: () => null,
  ladder: () => undefined,
  fallback: () => null,
  people: (who) => (who.startsWith("@") ? [who.slice(1)] : []),
  chatId: (person) => person,
};

export interface TicketHome {
  id: string;
  platform: Destination["platform"];
  workspaceId: string;
  channelId: string;
  /**
   * The support team's own channel for this ticket (a name or id the adapter resolves), chosen when it was
   * opened: per customer, or one for all. Null: the ticket's own channel is the team's, and gets everything.
   */
  triageChannel?: string | null;
}

/** Who may read a note: the ticket's thread (customers too) or only the support team. */
export type Audience = "customer" | "team";

/** Every message about one ticket's thread shares an ordering key, so the thread reads in order. */
export const orderingKey = (home: TicketHome) => `ticket:${home.id}`;
const triageOrderingKey = (home: TicketHome) => `ticket:${home.id}:triage`;

export function threadDestination(home: TicketHome): Destination {
  return {
    platform: home.platform,
    workspaceId: home.workspaceId,
    channelId: home.channelId,
    thread: "ticket",
  };
}

/** Where the team's notes go: the thread of the ticket's copy in its triage channel, or its own thread. */
export function teamDestination(home: TicketHome): Destination {
  if (!home.triageChannel) return threadDestination(home);
  return {
    platform: home.platform,
    workspaceId: home.workspaceId,
    channelName: home.triageChannel,
    thread: "triage",
  };
}

const destinationFor = (home: TicketHome, audience: Audience) =>
  audience === "team" ? teamDestination(home) : threadDestination(home);

/**
 * The card is redrawn when the ticket changes or a target changes state (met, breached, paused); with a
 * triage channel, its copy there is kept the same.
 */
export function cardNotifications(home: TicketHome, view: TicketView, version: number): NewNotification[] {
  const states = view.targets.map((t) => `${t.name[0]}${t.state[0]}`).join("");
  const body: MessageBody = { type: "ticketCard", ticket: view };
  const card = message(home, `card:v${version}:${states}`, "ticketCard", threadDestination(home), body);
  if (!home.triageChannel) return [card];
  const copy = message(home, `triage-card:v${version}:${states}`, "ticketCard", teamDestination(home), body);
  return [card, copy];
}

/** A note about the ticket, for the customer's thread or for the team only. */
export function threadNote(
  home: TicketHome,
  keySuffix: string,
  view: TicketView,
  parts: RichText,
  audience: Audience = "customer",
): NewNotification {
  return message(home, keySuffix, "threadNote", destinationFor(home, audience), {
    type: "threadNote",
    ticket: view,
    text: plainWords(parts),
    parts,
  });
}

function message(
  home: TicketHome,
  keySuffix: string,
  kind: string,
  target: Destination,
  body: MessageBody,
): NewNotification {
  return {
    key: `${home.id}:${keySuffix}`,
    ticketId: home.id,
    kind,
    target: { ...target },
    payload: body as never,
    orderingKey:
      target.thread === "ticket"
        ? orderingKey(home)
        : target.thread === "triage"
          ? triageOrderingKey(home)
          : null,
  };
}

export interface ActionOutcome {
  notifications: NewNotification[];
  /** Changes the policy makes to the ticket itself (raise severity, auto-resolve), appended as events. */
  followUps: TicketEventPayload[];
}

const LATE_AFTER_MS = 2 * 60_000;
/** The channel name a policy's `postToChannel` uses for the ticket's own triage channel. */
export const TRIAGE = "triage";

/**
 * Turns the policy's due actions into outbox rows. Keys derive from the action keys, so a repeat is a no-op.
 * Warnings, breaches and escalation notes are for the team (the triage channel, unless a step says
 * `announce: thread`); reminders and resolutions, and what a step tells the customer, go to the thread.
 */
export function actionOutcome(
  home: TicketHome,
  view: TicketView,
  actions: PlannedAction[],
  now: DateTime,
  recipients: Recipients,
): ActionOutcome {
  const outcome: ActionOutcome = { notifications: [], followUps: [] };
  for (const action of actions) {
    const late = now.toMillis() - action.at.toMillis() > LATE_AFTER_MS;
    const note = threadNote(home, action.key, view, [describe(action, view.zone, late)], audienceOf(action));
    outcome.notifications.push({ ...note, late });
    if (action.kind === "escalate") {
      for (const step of action.actions) addEscalation(outcome, home, view, action, step, recipients, late);
    }
    if (action.kind === "autoResolve") outcome.followUps.push({ type: "resolved", reason: "no-response" });
  }
  return outcome;
}

function addEscalation(
  outcome: ActionOutcome,
  home: TicketHome,
  view: TicketView,
  action: PlannedAction & { kind: "escalate" },
  step: EscalationAction,
  recipients: Recipients,
  late: boolean,
): void {
  const base = { workspaceId: home.workspaceId, platform: home.platform } as const;
  const title = `#${view.number} escalated: ${action.step.replaceAll("-", " ")}`;
  switch (step.type) {
    case "tellCustomer":
      outcome.notifications.push({
        ...threadNote(home, `${action.key}:tell`, view, [step.text], "customer"),
        late,
      });
      return;
    case "postToChannel":
      outcome.notifications.push({
        ...message(
          home,
          `${action.key}:post:${step.channel}`,
          "escalation",
          // "triage": the ticket's own triage channel (or its thread, where it has none).
          step.channel === TRIAGE ? teamDestination(home) : { ...base, channelName: step.channel },
          {
            type: "escalation",
            ticket: view,
            title,
            text: `${view.severityLabel} · ${view.summary}`,
            late,
          },
        ),
        late,
      });
      return;
    case "pageOncall":
      return; // pages run as ladders, recomputed on every evaluation: see paging.ts
    case "notify": {
      const who = step.person ?? step.role ?? "";
      for (const person of recipients.people(who)) {
        outcome.notifications.push({
          ...message(
            home,
            `${action.key}:notify:${who}:${person}`,
            "notify",
            { ...base, userId: recipients.chatId(person, home.platform) },
            {
              type: "escalation",
              ticket: view,
              title,
              text: `You are notified as ${recipients.label?.(who) ?? who}.`,
              late,
            },
          ),
          late,
        });
      }
      return;
    }
    case "raiseSeverity":
      if (step.to !== view.severity) {
        outcome.followUps.push({
          type: "severityChanged",
          from: view.severity,
          to: step.to,
          why: `policy step ${action.step}`,
        });
      }
      return;
  }
}

/** "page on call (paging the on-call person)": words for people, not the step's id alone. */
function escalationWords(step: string, actions: EscalationAction[]): string {
  const words = actions.map((a) => {
    switch (a.type) {
      case "postToChannel":
        return `posting in ${a.channel}`;
      case "pageOncall":
        return "paging the on-call person";
      case "notify":
        return `notifying ${a.role ?? a.person ?? "someone"}`.replaceAll("-", " ");
      case "raiseSeverity":
        return `raising the severity to ${a.to}`;
      default:
        return "telling the customer";
    }
  });
  return `${step.replaceAll("-", " ")} (${words.join(", ")})`;
}

function audienceOf(action: PlannedAction): Audience {
  if (action.kind === "warn" || action.kind === "breach") return "team";
  if (action.kind === "escalate") return action.announce === "thread" ? "customer" : "team";
  return "customer";
}

function describe(action: PlannedAction, zone: string, late: boolean): string {
  const suffix = late ? ` (late: due ${clock(action.at, zone)}; Escalator was not running)` : "";
  switch (action.kind) {
    case "warn":
      return `⚠️ ${targetWords(action.target)} due at ${clock(action.due, zone)}${suffix}`;
    case "breach":
      return `🔴 ${targetWords(action.target)} target missed: it was due at ${clock(action.due, zone)}${suffix}`;
    case "escalate":
      return `📣 Escalation: ${escalationWords(action.step, action.actions)}${suffix}`;
    case "autoResolveReminder":
      return `⏳ No reply from the customer since ${clock(action.waitingSince, zone)}; this ticket will be resolved soon if nothing comes.${suffix}`;
    case "autoResolve":
      return `✅ Resolved: no reply from the customer since ${clock(action.waitingSince, zone)}.${suffix}`;
  }
}

function targetWords(target: string): string {
  return target === "firstResponse"
    ? "First response"
    : target === "nextUpdate"
      ? "Next update"
      : "Resolution";
}

export function clock(t: DateTime, zone: string): string {
  return inZone(t, zone).toFormat("ccc d LLL HH:mm ZZZZ");
}

export function pageMessage(
  home: TicketHome,
  keySuffix: string,
  view: TicketView,
  userId: string,
  level: number,
  late: boolean,
  pageKey?: string,
  cause?: "snooze" | "escalate" | "reassign",
): NewNotification {
  const destination: Destination = { platform: home.platform, workspaceId: home.workspaceId, userId };
  const reason = pageReason(level, cause);
  const body: MessageBody = {
    type: "page",
    ticket: view,
    level,
    reason,
    late,
    ...(pageKey ? { pageKey } : {}),
  };
  return {
    ...message(home, keySuffix, "page", destination, body),
    late,
  };
}

function pageReason(level: number, cause: "snooze" | "escalate" | "reassign" | undefined): string {
  if (cause === "reassign") return "the page was reassigned to you";
  if (cause === "snooze") return "the snooze is over and nobody acknowledged yet";
  if (cause === "escalate") return `it was escalated to you now (level ${level})`;
  return level === 1 ? "you are on call" : `nobody acknowledged yet (level ${level})`;
}

export function channelAlert(
  home: TicketHome,
  keySuffix: string,
  view: TicketView,
  channel: string,
  title: string,
  late: boolean,
): NewNotification {
  const destination: Destination = {
    platform: home.platform,
    workspaceId: home.workspaceId,
    channelName: channel,
  };
  const body: MessageBody = {
    type: "escalation",
    ticket: view,
    title,
    text: `${view.severityLabel} · ${view.summary}`,
    late,
  };
  return { ...message(home, keySuffix, "escalation", destination, body), late };
}
