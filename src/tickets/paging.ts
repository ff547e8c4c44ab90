import { DateTime } from "luxon";
import type { Destination, TicketView } from "../chat/port.js";
import {
  type DuePage,
  type LadderIntervention,
  type LadderProgress,
  type LadderState,
  ladderState,
} from "../oncall/index.js";
import type { OnCallTarget } from "../oncall/model.js";
import type { Evaluation, PlannedAction } from "../policy/types.js";
import type { NewNotification } from "../store/outbox.js";
import { inZone } from "../zone.js";
import type { LoggedEvent, TicketEventPayload } from "./events.js";
import {
  channelAlert,
  pageMessage,
  type Recipients,
  type TicketHome,
  threadDestination,
} from "./notifications.js";

const LATE_AFTER_MS = 2 * 60_000;

/**
 * Pages for a ticket's `pageOncall` steps. A step whose schedule has a ladder runs it — level 1, wait for an
 * acknowledgement, level 2, … repeated — as a pure function of the log, so each tick recomputes every page
 * due so far and the outbox's unique keys make sure each goes out once. An acknowledgement (or a public
 * reply from the support side) or a resolution stops it.
 */
export function pagingPlan(
  home: TicketHome,
  view: TicketView,
  evaluation: Evaluation,
  log: LoggedEvent[],
  now: DateTime,
  recipients: Recipients,
): { notifications: NewNotification[]; nextChangeAt: DateTime | null } {
  const notifications: NewNotification[] = [];
  let nextChangeAt: DateTime | null = null;
  for (const action of evaluation.actionsDue) {
    if (action.kind !== "escalate") continue;
    for (const step of action.actions) {
      if (step.type !== "pageOncall") continue;
      const run = pageSchedule(home, view, action, step.schedule, log, now, recipients);
      notifications.push(...run.notifications);
      if (run.nextChangeAt && (!nextChangeAt || run.nextChangeAt < nextChangeAt))
        nextChangeAt = run.nextChangeAt;
    }
  }
  return { notifications, nextChangeAt };
}

function pageSchedule(
  home: TicketHome,
  view: TicketView,
  action: PlannedAction,
  schedule: string,
  log: LoggedEvent[],
  now: DateTime,
  recipients: Recipients,
) {
  const ladder = recipients.ladder(schedule);
  const keyBase = `${action.key}:${schedule}`;
  if (!ladder) {
    // No ladder: page whoever was on call when the step fired, once.
    const target = recipients.onCall(schedule, action.at);
    return {
      notifications: target
        ? [toNotification(recipients, home, view, `${keyBase}:page`, target, 1, action.at, now)]
        : [reachedNobody(recipients, home, view, `${keyBase}:page`, schedule, action.at)],
      nextChangeAt: null,
    };
  }
  const progress = progressOf(log, action.at);
  const state = ladderState(ladder, action.at, progress, now, recipients.onCall, interventions(log));
  const exhausted =
    state.status === "exhausted" && state.stoppedAt
      ? exhaustedAlert(recipients, home, view, keyBase, schedule, state.stoppedAt, now)
      : [];
  const notifications = state.pages.map((page) =>
    page.target
      ? toNotification(
          recipients,
          home,
          view,
          `${keyBase}:${page.key}`,
          page.target,
          page.level + 1,
          page.dueAt,
          now,
          page.key,
          page.cause,
        )
      : reachedNobody(recipients, home, view, `${keyBase}:${page.key}`, schedule, page.dueAt),
  );
  return { notifications: [...notifications, ...exhausted], nextChangeAt: state.nextChangeAt };
}

function toNotification(
  recipients: Recipients,
  home: TicketHome,
  view: TicketView,
  keySuffix: string,
  target: OnCallTarget,
  level: number,
  dueAt: DateTime,
  now: DateTime,
  pageKey?: string,
  cause?: DuePage["cause"],
): NewNotification {
  const late = now.toMillis() - dueAt.toMillis() > LATE_AFTER_MS;
  if (target.kind === "channel")
    return channelAlert(
      home,
      keySuffix,
      view,
      target.channel,
      `#${view.number} needs someone: nobody is on call`,
      late,
    );
  return pageMessage(
    home,
    keySuffix,
    view,
    recipients.chatId(target.person, home.platform),
    level,
    late,
    pageKey,
    cause,
  );
}

/** The paging moves in a ticket's log, as the ladder reads them. */
function interventions(log: LoggedEvent[]): LadderIntervention[] {
  return log.flatMap((e): LadderIntervention[] => {
    const at = DateTime.fromJSDate(e.at);
    const id = String(e.seq);
    const p = e.payload;
    if (p.type === "pageSnoozed") return [{ id, at, kind: "snooze", until: DateTime.fromISO(p.until) }];
    if (p.type === "pageEscalated") return [{ id, at, kind: "escalate" }];
    if (p.type === "pageReassigned") return [{ id, at, kind: "reassign", target: p.to }];
    return [];
  });
}

/**
 * Why a paging move cannot apply now, in words for the person who asked: nothing is being paged, or the page
 * the "Escalate now" button was on is no longer the latest (somebody escalated it already: exactly once).
 */
export function pagingRefusal(
  payload: TicketEventPayload,
  evaluation: Evaluation,
  log: LoggedEvent[],
  now: DateTime,
  recipients: Recipients,
  actor: PageMover,
): string | undefined {
  if (payload.type !== "pageSnoozed" && payload.type !== "pageEscalated" && payload.type !== "pageReassigned")
    return undefined;
  const running = runningLadders(evaluation, log, now, recipients).filter((s) => s.status === "paging");
  if (running.length === 0) return "nobody is being paged about it (acknowledged, or no ladder is running)";
  if (payload.type === "pageSnoozed") return snoozeRefusal(Date.parse(payload.until), now);
  if (payload.type === "pageEscalated") {
    // Once per page: the page the button was on, or (typed) the page this person got, or else the latest.
    const latest = running.map((s) => s.pages.at(-1)?.key);
    const from = payload.fromPage ?? pageOf(running, log, recipients, actor);
    if (from && !latest.includes(from))
      return "that page was escalated already; the next level has been paged";
  }
  if (
    payload.type === "pageReassigned" &&
    payload.to.kind === "schedule" &&
    !recipients.ladder(payload.to.schedule) &&
    !recipients.onCall(payload.to.schedule, now)
  )
    return `there is no schedule “${payload.to.schedule}” with anyone on call`;
  return undefined;
}

/** Who makes a paging move, as the platforms name them. */
export interface PageMover {
  id: string;
  platform: Destination["platform"];
}

/** A snooze ends in the future and at most this long from now (a forgotten snooze must not silence a page). */
export const MAX_SNOOZE_HOURS = 24;

function snoozeRefusal(until: number, now: DateTime): string | undefined {
  if (!(until > now.toMillis())) return "a snooze must end in the future";
  const latest = now.plus({ hours: MAX_SNOOZE_HOURS });
  if (until > latest.toMillis())
    return `a snooze can last at most ${MAX_SNOOZE_HOURS} hours (until ${latest.toUTC().toFormat("ccc d LLL HH:mm")} UTC); nothing was changed`;
  return undefined;
}

/**
 * The page an "Escalate now" typed without a button is about: the latest page this person got; for someone
 * who was not paged, the latest page, or the one before it when their own escalation paged the latest.
 */
function pageOf(
  running: LadderState[],
  log: LoggedEvent[],
  recipients: Recipients,
  actor: PageMover,
): string | undefined {
  const pages = running.flatMap((s) => s.pages);
  const isActor = (p: DuePage) =>
    p.target?.kind === "person" &&
    (p.target.person === actor.id || recipients.chatId(p.target.person, actor.platform) === actor.id);
  const mine = pages.filter(isActor).at(-1);
  if (mine) return mine.key;
  const last = pages.at(-1);
  const seq = last?.cause === "escalate" ? /:e(\d+)$/.exec(last.key)?.[1] : undefined;
  const byActor = seq && log.find((e) => String(e.seq) === seq)?.actorId === actor.id;
  return byActor ? pages.at(-2)?.key : last?.key;
}

/** The ladders a ticket's due escalations run, as of `now`. */
function runningLadders(
  evaluation: Evaluation,
  log: LoggedEvent[],
  now: DateTime,
  recipients: Recipients,
): LadderState[] {
  return evaluation.actionsDue.flatMap((action) =>
    action.kind !== "escalate"
      ? []
      : action.actions.flatMap((step) => {
          if (step.type !== "pageOncall") return [];
          const ladder = recipients.ladder(step.schedule);
          return ladder
            ? [
                ladderState(
                  ladder,
                  action.at,
                  progressOf(log, action.at),
                  now,
                  recipients.onCall,
                  interventions(log),
                ),
              ]
            : [];
        }),
  );
}

function progressOf(log: LoggedEvent[], startedAt: DateTime): LadderProgress {
  return {
    acknowledgedAt: firstAfter(
      log,
      startedAt,
      (e) => e.payload.type === "acknowledged" || takesOver(e) || isAgentReply(e),
    ),
    resolvedAt: firstAfter(
      log,
      startedAt,
      (e) => e.payload.type === "resolved" || e.payload.type === "closed",
    ),
  };
}

/**
 * A page that resolves to nobody (no such schedule, nobody on call and no fallback) is never silent: an admin
 * alert (in the ticket's thread when no admin channel is set up), which the dispatcher also logs as an error.
 */
function reachedNobody(
  recipients: Recipients,
  home: TicketHome,
  view: TicketView,
  keySuffix: string,
  schedule: string,
  at: DateTime,
): NewNotification {
  const when = inZone(at, view.zone).toFormat("ccc d LLL HH:mm ZZZZ");
  return {
    key: `${home.id}:${keySuffix}:nobody`,
    ticketId: home.id,
    kind: "adminAlert",
    target: { ...(recipients.admin?.() ?? threadDestination(home)) },
    payload: {
      type: "adminAlert",
      text: `#${view.number}: the page for on-call schedule "${schedule}" at ${when} reached nobody (no such schedule, or nobody on call and no fallback). Page someone by hand and fix the schedule.`,
    },
    orderingKey: null,
  };
}

/** "Assign to me" is an acknowledgement too. */
function takesOver(e: LoggedEvent): boolean {
  return e.payload.type === "assigned" && e.payload.assigneeId === e.actorId;
}

function isAgentReply(e: LoggedEvent): boolean {
  return e.payload.type === "comment" && e.payload.author === "agent" && e.payload.visibility === "public";
}

function firstAfter(log: LoggedEvent[], from: DateTime, match: (e: LoggedEvent) => boolean): DateTime | null {
  const hit = log.find((e) => e.at.getTime() >= from.toMillis() && match(e));
  return hit ? DateTime.fromJSDate(hit.at) : null;
}

/** Nobody acknowledged any round: the schedule's fallback is told, once (the ladder's own promise). */
function exhaustedAlert(
  recipients: Recipients,
  home: TicketHome,
  view: TicketView,
  keyBase: string,
  schedule: string,
  stoppedAt: DateTime,
  now: DateTime,
): NewNotification[] {
  const fallback = recipients.fallback(schedule);
  if (!fallback) return [];
  const title = `#${view.number}: nobody acknowledged the pages of ${schedule}; paging has stopped`;
  const late = now.toMillis() - stoppedAt.toMillis() > LATE_AFTER_MS;
  return [
    fallback.kind === "channel"
      ? channelAlert(home, `${keyBase}:exhausted`, view, fallback.channel, title, late)
      : pageMessage(
          home,
          `${keyBase}:exhausted`,
          view,
          recipients.chatId(fallback.person, home.platform),
          0,
          late,
        ),
  ];
}
