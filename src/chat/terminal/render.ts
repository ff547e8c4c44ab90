import { DateTime } from "luxon";
import type { MessageBody, OutgoingMessage, TicketView } from "../port.js";

/** The terminal's one renderer: every message as a few readable lines, labelled by where it went. */
export function renderForTerminal(message: OutgoingMessage, now: DateTime): string {
  const where = label(message);
  const body = message.body;
  const late = "late" in body && body.late ? " (late)" : "";
  switch (body.type) {
    case "ticketCard":
      return `${where} ${message.edit ? "✎ card updated" : "🎫 new ticket"}\n${card(body.ticket, now)}`;
    case "threadNote":
      return `${where} ${mentions(body.text)}`;
    case "page": {
      const n = body.ticket.number;
      return (
        `${where} 📟 PAGE${late}: #${body.ticket.number} ${body.ticket.severityLabel} · ${body.ticket.summary}\n` +
        `    ${body.reason}; ${targetLine(body.ticket, now)}\n` +
        `    type \`ack ${n}\` to acknowledge, \`snooze ${n} 15m\`, \`escalate ${n} <reason>\` or \`reassign ${n} @person\``
      );
    }
    case "escalation":
      return `${where} 📣 ${body.title}${late}\n    ${mentions(body.text)} — see the thread of #${body.ticket.number}`;
    case "notice":
      return `${where} ${mentions(body.text)}`;
    case "adminAlert":
      return `${where} 🚨 ${body.text}`;
  }
}

function label(message: OutgoingMessage): string {
  const d = message.destination;
  const ticket = ticketOf(message.body);
  if (d.userId) return `[DM → @${d.userId}]`;
  if (d.thread === "ticket" && ticket && message.body.type !== "ticketCard")
    return `[#${d.channelId} › thread #${ticket.number}]`;
  return `[${d.channelName ?? `#${d.channelId ?? "?"}`}]`;
}

function ticketOf(body: MessageBody): TicketView | undefined {
  return "ticket" in body ? body.ticket : undefined;
}

function card(t: TicketView, now: DateTime): string {
  const lines = [
    `    #${t.number} ${t.summary}`,
    `    severity ${t.severityLabel} · via ${t.channel} · plan ${t.plan ?? "—"} · ${t.category ?? "—"}`,
    `    status ${t.status} · requester @${t.requesterId} · assignee ${t.assigneeId ? `@${t.assigneeId}` : "nobody yet"}`,
  ];
  for (const target of t.targets) lines.push(`    ${target.label}: ${targetState(target, t.zone, now)}`);
  return lines.join("\n");
}

/** One ticket on a line, for lists, search results and the queue. */
export function queueLine(t: TicketView, now: DateTime): string {
  const who = t.assigneeId ? `@${t.assigneeId}` : "unassigned";
  return `#${t.number} [${t.severityLabel}] ${t.summary} — ${t.status} · ${who} · ${targetLine(t, now)}`;
}

function targetLine(t: TicketView, now: DateTime): string {
  const first = t.targets.find((x) => x.state === "pending" || x.state === "breached");
  return first ? `${first.label.toLowerCase()} ${targetState(first, t.zone, now)}` : "no open target";
}

function targetState(target: TicketView["targets"][number], zone: string, now: DateTime): string {
  if (!target.due)
    return target.state === "paused" ? "paused (waiting on the customer)" : `${target.state}, no deadline`;
  const due = DateTime.fromISO(target.due).setZone(zone);
  const when = due.toFormat("ccc d LLL HH:mm ZZZZ");
  if (target.state === "met") return `met (was due ${when})`;
  if (target.state === "breached") return `BREACHED (was due ${when})`;
  const left = due.diff(now, ["days", "hours", "minutes"]);
  return `due ${when} (${left.toMillis() > 0 ? `in ${humanize(left)}` : "now"})`;
}

function humanize(d: ReturnType<DateTime["diff"]>): string {
  const { days, hours, minutes } = d.shiftTo("days", "hours", "minutes").toObject();
  const parts = [days ? `${days}d` : "", hours ? `${hours}h` : "", `${Math.floor(minutes ?? 0)}m`];
  return parts.filter(Boolean).join(" ");
}

/** `<@alice>` → `@alice`. */
export function mentions(text: string): string {
  return text.replace(/<@([^>]+)>/g, "@$1");
}
