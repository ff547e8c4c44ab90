import type { DateTime } from "luxon";
import type { TicketView } from "../../port.js";
import { statusWords, targetIcons, timeLeft } from "../../ticketWords.js";
import {
  type AdaptiveCard,
  type CardElement,
  card,
  cardDate,
  choiceSet,
  execute,
  factSet,
  input,
  showCard,
  textBlock,
} from "./card.js";
import { escapeMarkdown, type NameOf, withMentions } from "./text.js";

/** The verbs of the card's buttons; the invoke handler answers exactly these. */
export const verbs = {
  acknowledge: "ack",
  severity: "severity",
  wait: "wait",
  resume: "resume",
  resolve: "resolve",
  reopen: "reopen",
  refresh: "refresh",
  pageAcknowledge: "pageAck",
  pageSnooze: "pageSnooze",
  pageEscalate: "pageEscalate",
  pageReassign: "pageReassign",
  create: "create",
} as const;

export interface CardViewer {
  /** Agents see the buttons that change a ticket; customers only what they may do (reopen). */
  isAgent: boolean;
}

export interface TicketCardContext {
  now: DateTime;
  nameOf: NameOf;
  severities: { key: string; label: string }[];
  resolutionReasons: readonly string[];
  /** Teams user ids (29:…) whose clients refresh the card into their own view; at most 60. */
  refreshUserIds?: string[];
  viewer?: CardViewer;
}

/** The ticket card: the thread root, edited in place on every change, refreshed per viewer. */
export function ticketCard(ticket: TicketView, ctx: TicketCardContext): AdaptiveCard {
  // Mentions render in TextBlocks (not in FactSets): the people get a line of their own.
  const people = withMentions(
    `Assignee: ${ticket.assigneeId ? `<@${ticket.assigneeId}>` : "nobody yet"} · Requester: <@${ticket.requesterId}>`,
    ctx.nameOf,
    (s) => s,
  );
  const body: CardElement[] = [
    textBlock(`#${ticket.number} · ${escapeMarkdown(ticket.summary)}`, { size: "Medium", weight: "Bolder" }),
    factSet([
      ["Status", statusWords[ticket.status] ?? ticket.status],
      ["Severity", ticket.severityLabel],
      ["Contact", ticket.channel],
      ["Plan · category", `${ticket.plan ?? "—"} · ${ticket.category ?? "—"}`],
    ]),
    textBlock(people.text),
  ];
  if (ticket.targets.length > 0)
    body.push(textBlock(ticket.targets.map((t) => targetLine(t, ctx.now)).join("\n\n")));
  const notes = [`Opened ${cardDate(ticket.openedAt)}`, `times as of ${cardDate(ctx.now.toISO()!)}`];
  body.push(textBlock(notes.join(" · "), { isSubtle: true, size: "Small" }));
  if (ticket.permalink) body.push(textBlock(`[Original message](${ticket.permalink})`, { size: "Small" }));
  const result = card(body, cardActions(ticket, ctx, ctx.viewer ?? { isAgent: true }), people.entities);
  result.refresh = {
    action: {
      type: "Action.Execute",
      verb: verbs.refresh,
      data: { verb: verbs.refresh, ticketId: ticket.id },
    },
    userIds: (ctx.refreshUserIds ?? []).slice(0, 60),
  };
  return result;
}

function targetLine(target: TicketView["targets"][number], now: DateTime): string {
  const icon = targetIcons[target.state] ?? "•";
  if (!target.due)
    return `${icon} **${target.label}**: ${target.state === "paused" ? "paused" : "no target"}`;
  const when = cardDate(target.due);
  switch (target.state) {
    case "met":
      return `${icon} **${target.label}**: met (due ${when})`;
    case "paused":
      return `${icon} **${target.label}**: paused (was due ${when})`;
    case "pending":
      // Owed at once: "respond now" until the end of its grace (`due`), as on Slack and the terminal.
      if (target.immediate) return `🚨 **${target.label}**: respond now (breached at ${when})`;
      return `${icon} **${target.label}**: due ${when} — ${timeLeft(target.due, now)}`;
    default:
      return `${icon} **${target.label}**: due ${when} — ${timeLeft(target.due, now)}`;
  }
}

/** What can be done next, by status and viewer; handlers check who clicked all the same. */
function cardActions(ticket: TicketView, ctx: TicketCardContext, viewer: CardViewer): CardElement[] {
  const data = { ticketId: ticket.id };
  if (ticket.status === "resolved" || ticket.status === "closed")
    return [execute("Reopen", verbs.reopen, data)];
  if (!viewer.isAgent) return [];
  const severities = ctx.severities.map((s): [string, string] => [s.label, s.key]);
  const reasons = ctx.resolutionReasons.map((r): [string, string] => [r, r]);
  return [
    ticket.assigneeId
      ? execute("Assign to me", verbs.acknowledge, data)
      : execute("Acknowledge", verbs.acknowledge, data, "positive"),
    showCard(
      "Change severity",
      [
        choiceSet("severity", "Severity", severities, ticket.severity),
        input("why", "Why", { placeholder: "What changed", isRequired: true, errorMessage: "Say why" }),
      ],
      execute("Change severity", verbs.severity, data),
    ),
    ticket.status === "waiting"
      ? execute("Customer replied", verbs.resume, data)
      : execute("Waiting on customer", verbs.wait, data),
    showCard(
      "Resolve…",
      [choiceSet("reason", "Reason", reasons, "fixed"), input("note", "Note", { isMultiline: true })],
      execute("Resolve", verbs.resolve, data, "positive"),
    ),
  ];
}
