import type { Destination } from "../chat/port.js";
import type { ClaimedNotification } from "../store/outbox.js";
import { chunks, MAX_BUNDLE, type Unit } from "./bundle.js";
import type { PaceKeys, Pacer } from "./pacer.js";
import { prepare, type ThreadRoots } from "./threads.js";

/** One message to send now: one row, or a bundle. */
export interface Send {
  rows: ClaimedNotification[];
  pace: PaceKeys;
}

/** What pacing decided for a batch: the messages to send now (each one row or a bundle), the rows to wait. */
export interface Plan {
  sends: Send[];
  /** Milliseconds to wait → the rows waiting that long. */
  waits: Map<number, ClaimedNotification[]>;
}

/**
 * Decides, in priority order and before anything is sent, what a batch sends now and what waits: a row of
 * its own takes its slot or waits for it; pages and alerts for one conversation go one by one while it has
 * tokens, and the rest wait for the next slots, at most MAX_BUNDLE a message.
 */
export function planBatch(
  pacer: Pacer | undefined,
  pacing: (destination: Destination, isEdit: boolean) => PaceKeys,
  roots: ThreadRoots,
  units: Unit[],
): Plan {
  const plan: Plan = { sends: [], waits: new Map() };
  const later = (ms: number, rows: ClaimedNotification[]) =>
    plan.waits.set(Math.ceil(ms), [...(plan.waits.get(Math.ceil(ms)) ?? []), ...rows]);
  for (const unit of units) {
    const first = unit.rows[0]!;
    const isEdit = prepare(first, roots).edit !== undefined;
    const pace = pacer ? pacing(first.target as Destination, isEdit) : [];
    if (!pacer || pace.length === 0) {
      for (const row of unit.rows) plan.sends.push({ rows: [row], pace });
      continue;
    }
    if (!unit.bundleable) {
      const ms = pacer.reserve(pace, first.key);
      if (ms > 0) later(ms, [first]);
      else plan.sends.push({ rows: [first], pace });
      continue;
    }
    // Rows sent back earlier hold slots (their tokens were taken then): when a slot comes its rows go, together,
    // and a row whose slot is still ahead waits on. New rows go one by one while the conversation has tokens;
    // the rest join the last held slot while it has room, then take the next slots, MAX_BUNDLE a message. So
    // nothing written later goes before them, and each row is claimed again only when its slot comes.
    const fresh = new Map<string, ClaimedNotification>();
    const ready: ClaimedNotification[] = [];
    for (const row of unit.rows) {
      const ms = pacer.redeem(pace, row.key);
      if (ms === undefined) fresh.set(row.key, row);
      else if (ms > 0) later(ms, [row]);
      else ready.push(row);
    }
    for (const chunk of chunks(ready)) plan.sends.push({ rows: chunk, pace });
    const rest = [...fresh.values()];
    let taken = 0;
    while (taken < rest.length && pacer.tryTake(pace)) plan.sends.push({ rows: [rest[taken++]!], pace });
    const keys = rest.slice(taken).map((row) => row.key);
    for (const [ms, group] of pacer.queue(pace, unit.conversation, keys, MAX_BUNDLE)) {
      const rows = group.map((key) => fresh.get(key)!);
      if (ms > 0) later(ms, rows);
      else for (const chunk of chunks(rows)) plan.sends.push({ rows: chunk, pace });
    }
  }
  return plan;
}
