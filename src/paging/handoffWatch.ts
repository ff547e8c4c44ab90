import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import { formatWhen, shifts } from "../oncall/index.js";
import type { Policy } from "../policy/index.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import type { OncallDirectory } from "./directory.js";

/** How far back a tick looks for handoffs: a few missed ticks are caught up, a long outage is old news. */
const WINDOW_MINUTES = 10;

/**
 * Announces each handoff of a schedule that asks for it (`handoffNotices: { channel }`), once: each notice is
 * an outbox row keyed by schedule and handoff instant, so every tick on every replica may look.
 */
export async function announceHandoffs(
  tx: Tx,
  directory: OncallDirectory,
  deps: {
    channel: (name: string) => Destination;
    mention: (person: string) => string;
    zone: string;
    /** Schedules a loaded policy pages (`pagedSchedules`); the others hand off unannounced. */
    paged: ReadonlySet<string>;
  },
  now: DateTime,
): Promise<number> {
  const from = now.minus({ minutes: WINDOW_MINUTES });
  const notices = directory.schedules().flatMap((schedule) => {
    const channel = schedule.handoffNotices?.channel;
    if (!channel || !deps.paged.has(schedule.id)) return [];
    return shifts(schedule, from, now.plus({ milliseconds: 1 }), directory.context)
      .filter((s) => s.start > from && s.start <= now && s.target?.kind === "person")
      .map((s) => ({
        key: `handoff:${schedule.id}:${s.start.toUTC().toISO()}`,
        kind: "notice",
        target: { ...deps.channel(channel) },
        payload: {
          type: "notice",
          // The segment is cut at the window's end; whoIsOnCall knows when this shift really ends.
          text: `🔄 ${schedule.name}: ${s.target?.kind === "person" ? deps.mention(s.target.person) : "nobody"} is on call now, until ${formatWhen(directory.whoIsOnCall(schedule.id, s.start).until, deps.zone)}.`,
        },
      }));
  });
  return enqueueNotifications(tx, notices, now.toJSDate());
}

/**
 * The schedules the loaded policies page: those a `pageOncall` step names, and those their paging ladders
 * reach. Under `POLICY_FILE=policies/wetx.yaml` nothing pages the WES rotation, so its handoffs go unsaid.
 */
export function pagedSchedules(policies: Policy[], directory: OncallDirectory): Set<string> {
  const paged = new Set<string>();
  const visit = (id: string) => {
    if (paged.has(id)) return;
    paged.add(id);
    for (const level of directory.schedule(id)?.ladder?.levels ?? []) {
      if (level.target.kind === "schedule") visit(level.target.schedule);
    }
  };
  for (const policy of policies)
    for (const step of policy.escalations)
      for (const action of step.actions) if ("pageOncall" in action) visit(action.pageOncall);
  return paged;
}
