import type { DateTime } from "luxon";
import type { MessageBody, RichText, TicketView } from "../port.js";
import {
  type ActionElement,
  actions,
  type Block,
  type Button,
  button,
  capBlocks,
  clip,
  context,
  escapeText,
  fields,
  header,
  limits,
  mention,
  plain,
  section,
  slackDate,
  timeLeft,
} from "./blocks.js";
import { renderBundle, type ThreadLinks } from "./bundle.js";

/** The action ids of the buttons this renderer draws; the handlers listen for exactly these. */
export const actionIds = {
  acknowledge: "ticket_acknowledge",
  severity: "ticket_severity",
  wait: "ticket_wait",
  resume: "ticket_resume",
  resolve: "ticket_resolve",
  reopen: "ticket_reopen",
  pageAcknowledge: "page_acknowledge",
  pageSnooze: "page_snooze",
  pageEscalate: "page_escalate",
  pageReassign: "page_reassign",
} as const;

export interface SlackMessage {
  /** The notification and accessibility fallback, always sent with the blocks. */
  text: string;
  blocks: Block[];
}

export interface RenderContext {
  now: DateTime;
  /** The permalink of the ticket's thread (its card), for alerts posted elsewhere. */
  threadLink?: string | null | undefined;
  /** The same for each ticket of a bundle. */
  threadLinks?: ThreadLinks;
}

/**
 * The one Slack renderer: every message the bot sends is drawn here, inside Block Kit's limits. The one
 * escaping rule: every string of a body is plain text and is escaped (`escapeText`) where it enters mrkdwn,
 * the top-level `text` included (it is mrkdwn too, and what notifications show); people are mentioned only
 * from user ids. Plain-text fields (headers, buttons) take the words as they are.
 */
export function renderMessage(body: MessageBody, ctx: RenderContext): SlackMessage {
  switch (body.type) {
    case "ticketCard":
      return { text: cardText(body.ticket), blocks: ticketCardBlocks(body.ticket, ctx.now) };
    case "threadNote": {
      // Rows written before notes had parts hold only the words: shown as plain text.
      const text = richMrkdwn(body.parts ?? [body.text]);
      return { text: clip(text, limits.fallbackText), blocks: [section(text)] };
    }
    case "notice":
    case "digest":
      // Escalator's own words (on-call handoffs, gaps, the digest) with `<@id>` mentions it wrote itself.
      return { text: clip(body.text, limits.fallbackText), blocks: [section(body.text)] };
    case "page":
      return renderPage(body, ctx);
    case "escalation":
      return renderEscalation(body, ctx);
    case "adminAlert":
      return {
        text: clip(`Escalator: ${escapeText(body.text)}`, limits.fallbackText),
        blocks: [section(`⚙️ ${escapeText(body.text)}`)],
      };
    case "bundle":
      return renderBundle(body, ctx.threadLinks ?? new Map());
  }
}

/** Narration in mrkdwn: words escaped, people mentioned by user id (anything else is shown, not mentioned). */
export function richMrkdwn(parts: RichText): string {
  return parts
    .map((part) => {
      if (typeof part === "string") return escapeText(part);
      if ("typed" in part) return escapeText(part.typed);
      return mention(part.person);
    })
    .join("");
}

const statusWords: Record<string, string> = {
  open: "🟡 Open",
  responded: "🔵 Responded",
  waiting: "⏸️ Waiting on customer",
  resolved: "✅ Resolved",
  closed: "🔒 Closed",
};

const targetIcons: Record<string, string> = { pending: "⏳", met: "✅", breached: "🔴", paused: "⏸️" };

function cardText(ticket: TicketView): string {
  return clip(
    escapeText(
      `#${ticket.number} ${ticket.summary} (${ticket.severityLabel}, ${statusWords[ticket.status] ?? ticket.status})`,
    ),
    limits.fallbackText,
  );
}

/** The ticket card: the thread root, edited in place on every change. */
export function ticketCardBlocks(ticket: TicketView, now: DateTime): Block[] {
  const blocks: Block[] = [
    header(`#${ticket.number} · ${ticket.summary}`),
    fields([
      ["Status", statusWords[ticket.status] ?? escapeText(ticket.status)],
      ["Severity", escapeText(ticket.severityLabel)],
      ["Assignee", ticket.assigneeId ? mention(ticket.assigneeId) : "_nobody yet_"],
      ["Requester", mention(ticket.requesterId)],
      ["Contact", escapeText(ticket.channel)],
      ["Plan · category", escapeText(`${ticket.plan ?? "—"} · ${ticket.category ?? "—"}`)],
    ]),
  ];
  if (ticket.targets.length > 0)
    blocks.push(section(ticket.targets.map((t) => targetLine(t, ticket, now)).join("\n")));
  const notes = [
    `Opened ${slackDate(ticket.openedAt, ticket.zone)}`,
    `Times as of ${slackDate(now.toISO()!, ticket.zone)}`,
  ];
  if (ticket.permalink) notes.push(`<${ticket.permalink}|Original message>`);
  blocks.push(context(...notes));
  blocks.push(actions(`ticket:${ticket.id}`, cardButtons(ticket)));
  return capBlocks(blocks, limits.messageBlocks);
}

function targetLine(target: TicketView["targets"][number], ticket: TicketView, now: DateTime): string {
  const icon = targetIcons[target.state] ?? "•";
  if (!target.due) return `${icon} *${target.label}*: ${target.state === "paused" ? "paused" : "no target"}`;
  const when = slackDate(target.due, ticket.zone);
  switch (target.state) {
    case "met":
      return `${icon} *${target.label}*: met (due ${when})`;
    case "paused":
      return `${icon} *${target.label}*: paused (was due ${when})`;
    case "pending":
      if (target.immediate) return `🚨 *${target.label}*: respond now (breached at ${when})`;
      return `${icon} *${target.label}*: due ${when} — ${timeLeft(target.due, now)}`;
    default:
      return `${icon} *${target.label}*: due ${when} — ${timeLeft(target.due, now)}`;
  }
}

/**
 * What can be done next, by status. The value is the ticket id; handlers check who clicked. The buttons that
 * open a form carry what the form shows (`id|number|severity`), so it opens before any database work.
 */
function cardButtons(ticket: TicketView): Button[] {
  const id = ticket.id;
  const form = `${id}|${ticket.number}|${ticket.severity}`;
  if (ticket.status === "resolved" || ticket.status === "closed")
    return [button("Reopen", actionIds.reopen, id)];
  return [
    ticket.assigneeId
      ? button("Assign to me", actionIds.acknowledge, id)
      : button("Acknowledge", actionIds.acknowledge, id, "primary"),
    button("Change severity", actionIds.severity, form),
    ticket.status === "waiting"
      ? button("Customer replied", actionIds.resume, id)
      : button("Waiting on customer", actionIds.wait, id),
    button("Resolve…", actionIds.resolve, form),
  ];
}

function renderPage(body: MessageBody & { type: "page" }, ctx: RenderContext): SlackMessage {
  const t = body.ticket;
  const lead = `🚨 *You are paged* for #${t.number} (${escapeText(t.severityLabel)}): ${escapeText(t.summary)}`;
  const blocks: Block[] = [
    section(`${lead}\nWhy: ${escapeText(body.reason)}${body.level > 1 ? ` · level ${body.level}` : ""}`),
  ];
  const notes = [`Requester ${mention(t.requesterId)}`];
  if (ctx.threadLink) notes.push(`<${ctx.threadLink}|Open the ticket's thread>`);
  if (body.late) notes.push("_Sent late: Escalator was not running when this was due._");
  blocks.push(context(...notes));
  blocks.push(actions(`page:${t.id}`, pageButtons(t.id, body.pageKey)));
  return {
    text: clip(`You are paged for #${t.number}: ${escapeText(t.summary)}`, limits.fallbackText),
    blocks,
  };
}

/** Acknowledge, and the moves on a page: snooze it, escalate it now, page someone else instead. */
function pageButtons(ticketId: string, pageKey: string | undefined): ActionElement[] {
  const snooze: ActionElement = {
    type: "static_select",
    action_id: actionIds.pageSnooze,
    placeholder: plain("Snooze…", limits.buttonText),
    options: [
      ["15 min", "15m"],
      ["1 hour", "1h"],
      ["Until a time…", "until"],
    ].map(([label, value]) => ({ text: plain(label!, limits.optionText), value: `${ticketId}|${value}` })),
  };
  return [
    button("Acknowledge", actionIds.pageAcknowledge, ticketId, "primary"),
    snooze,
    button("Escalate now", actionIds.pageEscalate, pageKey ? `${ticketId}|${pageKey}` : ticketId),
    button("Reassign", actionIds.pageReassign, ticketId),
  ];
}

function renderEscalation(body: MessageBody & { type: "escalation" }, ctx: RenderContext): SlackMessage {
  const link = ctx.threadLink ? `\n<${ctx.threadLink}|Open the ticket's thread>` : "";
  const blocks: Block[] = [header(`📣 ${body.title}`), section(`${escapeText(body.text)}${link}`)];
  if (body.late) blocks.push(context("_Sent late: Escalator was not running when this was due._"));
  return { text: clip(escapeText(`${body.title}: ${body.text}`), limits.fallbackText), blocks };
}
