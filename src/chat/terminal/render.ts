import { DateTime } from "luxon";
import { inZone } from "../../zone.js";
import type { MessageBody, OutgoingMessage, RichText, TicketView } from "../port.js";

/**
 * The terminal's one renderer: every message as a few readable lines, labelled by where it went. Its
 * escaping rule: words anyone typed are shown without control characters (no escape sequence from a
 * summary can move the cursor or recolour the screen); people are `@id`.
 */
export function renderForTerminal(message: OutgoingMessage, now: DateTime): string {
  const where = label(message);
  const body = message.body;
  const late = "late" in body && body.late ? " (late)" : "";
  switch (body.type) {
    case "ticketCard":
      return `${where} ${message.edit ? "✎ card updated" : "🎫 new ticket"}\n${card(body.ticket, now)}`;
    case "threadNote":
      return `${where} ${body.parts ? richText(body.parts) : printable(body.text)}`;
    case "page": {
      const n = body.ticket.number;
      return (
        `${where} 📟 PAGE${late}: #${n} ${body.ticket.severityLabel} · ${printable(body.ticket.summary)}\n` +
        `    ${body.reason}; ${targetLine(body.ticket, now)}\n` +
        `    type \`ack ${n}\` to acknowledge, \`snooze ${n} 15m\`, \`escalate ${n} <reason>\` or \`reassign ${n} @person\``
      );
    }
    case "escalation":
      return `${where} 📣 ${body.title}${late}\n    ${printable(body.text)} — see the thread of #${body.ticket.number}`;
    case "notice":
    case "digest":
      return `${where} ${mentions(body.text)}`;
    case "adminAlert":
      return `${where} 🚨 ${body.text}`;
    case "bundle":
      return [
        `${where} 📟 ${body.items.length} pages and alerts at once:`,
        ...body.items.map((item) =>
          item.type === "page"
            ? `    #${item.ticket.number} ${item.ticket.severityLabel} · ${printable(item.ticket.summary)} — ${item.reason}; type \`ack ${item.ticket.number}\``
            : `    📣 ${item.title} — ${printable(item.text)}`,
        ),
      ].join("\n");
  }
}

function label(message: OutgoingMessage): string {
  const d = message.destination;
  const ticket = ticketOf(message.body);
  if (d.userId) return `[DM → @${d.userId}]`;
  const channel = d.channelName ? `#${d.channelName.replace(/^#/, "")}` : `#${d.channelId ?? "?"}`;
  if (d.thread && ticket && message.body.type !== "ticketCard")
    return `[${channel} › thread #${ticket.number}]`;
  return `[${channel}]`;
}

function ticketOf(body: MessageBody): TicketView | undefined {
  return "ticket" in body ? body.ticket : undefined;
}

function card(t: TicketView, now: DateTime): string {
  const lines = [
    `    #${t.number} ${printable(t.summary)}`,
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
  const due = inZone(DateTime.fromISO(target.due), zone);
  const when = due.toFormat("ccc d LLL HH:mm ZZZZ");
  if (target.state === "met") return `met (was due ${when})`;
  if (target.state === "breached") return `BREACHED (was due ${when})`;
  if (target.immediate) return `respond now (breached at ${due.toFormat("HH:mm ZZZZ")})`;
  const left = due.diff(now, ["days", "hours", "minutes"]);
  return `due ${when} (${left.toMillis() > 0 ? `in ${humanize(left)}` : "now"})`;
}

function humanize(d: ReturnType<DateTime["diff"]>): string {
  const { days, hours, minutes } = d.shiftTo("days", "hours", "minutes").toObject();
  const parts = [days ? `${days}d` : "", hours ? `${hours}h` : "", `${Math.floor(minutes ?? 0)}m`];
  return parts.filter(Boolean).join(" ");
}

function richText(parts: RichText): string {
  return parts
    .map((p) => (typeof p === "string" ? p : "person" in p ? `@${p.person}` : printable(p.typed)))
    .join("");
}

/** Typed words without control characters (ESC, BEL, …); line breaks stay. */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "");
}

/** `<@alice>` → `@alice`. */
export function mentions(text: string): string {
  return text.replace(/<@([^>]+)>/g, "@$1");
}
