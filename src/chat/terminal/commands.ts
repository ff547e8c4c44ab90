import { type DateTime, Duration } from "luxon";
import { parseChatTime } from "../../paging/parseTime.js";
import { invalid } from "../../tickets/errors.js";
import { type ResolutionReason, resolutionReasons, type TicketEventPayload } from "../../tickets/events.js";

/** What a command needs to become an event: who typed it, and the simulated now in the policy's zone. */
export interface BuildContext {
  user: string;
  isAgent: boolean;
  severity?: string;
  now: DateTime;
  zone: string;
}

/** One line typed at the terminal prompt. */
export type ShellLine =
  | { kind: "ticket"; text: string }
  | { kind: "oncall"; text: string }
  | {
      kind: "event";
      number: number;
      build: (ctx: BuildContext) => TicketEventPayload;
      severity?: string;
    }
  | { kind: "as"; user: string; role: "agent" | "customer" | undefined }
  | { kind: "time"; by?: Duration; to?: string }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "empty" }
  | { kind: "error"; message: string };

const usage: Record<string, string> = {
  reply: "reply 142 <text>",
  note: "note 142 <text>",
  ack: "ack 142",
  assign: "assign 142 [@person]",
  severity: "severity 142 <severity> [why]",
  wait: "wait 142",
  resume: "resume 142",
  resolve: `resolve 142 <${resolutionReasons.join("|")}> [note]`,
  close: "close 142",
  reopen: "reopen 142 [why]",
  snooze: "snooze 142 <15m|1h|18:30|tomorrow 08:00>",
  escalate: "escalate 142 <reason>",
  reassign: "reassign 142 <@person | schedule NAME>",
};

export function parseShellLine(line: string): ShellLine {
  const text = line.trim();
  if (!text || text.startsWith("#")) return { kind: "empty" };
  const [word = "", ...rest] = text.split(/\s+/);
  const args = rest.join(" ");
  switch (word.toLowerCase()) {
    case "/ticket":
    case "ticket":
      return { kind: "ticket", text: args };
    case "/oncall":
    case "oncall":
      return { kind: "oncall", text: args };
    case "as":
      return parseAs(rest);
    case "time":
      return parseTime(args);
    case "help":
    case "?":
      return { kind: "help" };
    case "quit":
    case "exit":
      return { kind: "quit" };
  }
  const command = word.toLowerCase();
  if (!(command in usage))
    return { kind: "error", message: `Unknown command “${word}”. Type \`help\` to see what you can do.` };
  const number = Number((rest[0] ?? "").replace(/^#/, ""));
  if (!Number.isInteger(number) || number <= 0) return { kind: "error", message: `Usage: ${usage[command]}` };
  return ticketEvent(command, number, rest.slice(1));
}

function ticketEvent(command: string, number: number, rest: string[]): ShellLine {
  const words = rest.join(" ");
  const error = (message: string): ShellLine => ({ kind: "error", message });
  switch (command) {
    case "reply":
    case "note":
      if (!words) return error(`Usage: ${usage[command]}`);
      return {
        kind: "event",
        number,
        build: ({ isAgent }) => ({
          type: "comment",
          author: isAgent ? "agent" : "customer",
          visibility: command === "note" ? "internal" : "public",
          text: words,
        }),
      };
    case "ack":
      return { kind: "event", number, build: () => ({ type: "acknowledged" }) };
    case "assign": {
      const who = rest[0]?.replace(/^@/, "");
      return { kind: "event", number, build: ({ user }) => ({ type: "assigned", assigneeId: who ?? user }) };
    }
    case "severity": {
      const [to, ...why] = rest;
      if (!to) return error(`Usage: ${usage.severity}`);
      return {
        kind: "event",
        number,
        severity: to,
        build: ({ severity }) => ({
          type: "severityChanged",
          from: "",
          to: severity ?? to,
          why: why.join(" ") || "changed in the terminal",
        }),
      };
    }
    case "resolve": {
      const [reason, ...note] = rest;
      if (!reason || !resolutionReasons.includes(reason as ResolutionReason)) {
        return error(`Resolve with a reason: ${resolutionReasons.join(", ")}. Usage: ${usage.resolve}`);
      }
      const payload: TicketEventPayload = {
        type: "resolved",
        reason: reason as ResolutionReason,
        ...(note.length ? { note: note.join(" ") } : {}),
      };
      return { kind: "event", number, build: () => payload };
    }
    case "wait":
      return { kind: "event", number, build: () => ({ type: "waitingOnCustomer" }) };
    case "resume":
      return { kind: "event", number, build: () => ({ type: "resumed" }) };
    case "close":
      return { kind: "event", number, build: () => ({ type: "closed" }) };
    case "snooze":
    case "escalate":
    case "reassign":
      return pageMove(command, number, rest);
    default:
      return { kind: "event", number, build: () => ({ type: "reopened", ...(words ? { why: words } : {}) }) };
  }
}

/** The moves on a page: snooze it, escalate it now, or page someone else instead. */
function pageMove(command: string, number: number, rest: string[]): ShellLine {
  const words = rest.join(" ");
  if (!words) return { kind: "error", message: `Usage: ${usage[command]}` };
  if (command === "escalate")
    return { kind: "event", number, build: () => ({ type: "pageEscalated", reason: words }) };
  if (command === "snooze") {
    const typed = /^\d+\s*[mhd]$/i.test(words) ? `+${words}` : words;
    return {
      kind: "event",
      number,
      build: ({ now, zone }) => {
        const until = parseChatTime(typed, now, zone);
        if (!until.ok) throw invalid(until.error);
        return { type: "pageSnoozed", until: until.at.toISO()! };
      },
    };
  }
  const to =
    rest[0]?.toLowerCase() === "schedule" && rest[1]
      ? { kind: "schedule" as const, schedule: rest[1] }
      : { kind: "person" as const, person: (rest[0] ?? "").replace(/^@/, "") };
  return { kind: "event", number, build: () => ({ type: "pageReassigned", to }) };
}

function parseAs(rest: string[]): ShellLine {
  const user = rest[0]?.replace(/^@/, "");
  const role = rest[1]?.toLowerCase();
  if (!user || (role && role !== "agent" && role !== "customer")) {
    return { kind: "error", message: "Usage: as <name> [agent|customer]   e.g. `as carol customer`" };
  }
  return { kind: "as", user, role: role as "agent" | "customer" | undefined };
}

/** `time`, `time +2h`, `time +1d 30m`, `time 2026-11-28T22:00` (jump to). */
function parseTime(args: string): ShellLine {
  if (!args) return { kind: "time" };
  if (!args.startsWith("+")) return { kind: "time", to: args };
  const parts = [...args.slice(1).matchAll(/(\d+)\s*(d|h|m)\b/g)];
  const consumed = parts
    .map((p) => p[0])
    .join("")
    .replace(/\s/g, "");
  if (parts.length === 0 || consumed !== args.slice(1).replace(/\s/g, "")) {
    return {
      kind: "error",
      message: "Usage: time +2h   (or +30m, +1d, +1d 4h; or `time 2026-11-28T22:00` to jump to an instant)",
    };
  }
  const units = { d: "days", h: "hours", m: "minutes" } as const;
  const by = parts.reduce(
    (d, p) => d.plus({ [units[p[2] as "d" | "h" | "m"]]: Number(p[1]) }),
    Duration.fromMillis(0),
  );
  return { kind: "time", by };
}

export const shellHelp = [
  "You are a user in #support. Commands:",
  "  /ticket [severity] summary   open a ticket        /ticket list | /ticket 142 | /ticket help",
  "  /ticket                      every field: --severity --channel --plan --category --customer",
  ...Object.values(usage).map((u) => `  ${u}`),
  "  /oncall | /oncall schedule | /oncall override @person until <time>",
  "  as <name> [agent|customer]   switch user           time | time +2h | time 2026-11-28T22:00",
  "  help | quit",
].join("\n");
