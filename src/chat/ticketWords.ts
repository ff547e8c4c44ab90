import { DateTime } from "luxon";

/** Words every platform's renderer shows for a ticket, so a ticket reads the same in Slack and Teams. */
export const statusWords: Record<string, string> = {
  open: "🟡 Open",
  responded: "🔵 Responded",
  waiting: "⏸️ Waiting on customer",
  resolved: "✅ Resolved",
  closed: "🔒 Closed",
};

export const targetIcons: Record<string, string> = { pending: "⏳", met: "✅", breached: "🔴", paused: "⏸️" };

/** "2 h 10 min left", "35 min overdue": time to a due instant as of `now`. */
export function timeLeft(iso: string, now: DateTime): string {
  const minutes = Math.round(DateTime.fromISO(iso).diff(now, "minutes").minutes);
  const span = spanWords(Math.abs(minutes));
  return minutes >= 0 ? `${span} left` : `${span} overdue`;
}

function spanWords(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
