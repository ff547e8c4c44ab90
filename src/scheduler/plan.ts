import type { Destination } from "../chat/port.js";
import type { ClaimedNotification } from "../store/outbox.js";
import { chunks, MAX_BUNDLE, type Unit } from "./bundle.js";
import type { PaceKeys, Pacer } from "./pacer.js";
import { prepare, type ThreadRoots } from "./threads.js";

/** One message to send now: one row, or a bundle; `slot` is the pacer's name for it (a row's key, or its conversation's for a bundle). */
export interface Send {
  rows: ClaimedNotification[];
  pace: PaceKeys;
  slot: string;
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
 * tokens, and the rest share its next slot as one message (at most MAX_BUNDLE a message).
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
      for (const row of unit.rows) plan.sends.push({ rows: [row], pace, slot: row.key });
      continue;
    }
    if (!unit.bundleable) {
      const ms = pacer.reserve(pace, first.key);
      if (ms > 0) later(ms, [first]);
      else plan.sends.push({ rows: [first], pace, slot: first.key });
      continue;
    }
    // Rows go one by one while the conversation has tokens left; the rest share the next slot, as one message.
    const slot = `bundle:${unit.conversation}`;
    let rest = unit.rows;
    if (!pacer.waiting(slot)) {
      let taken = 0;
      while (taken < rest.length && pacer.tryTake(pace)) {
        const row = rest[taken++]!;
        plan.sends.push({ rows: [row], pace, slot: row.key });
      }
      rest = rest.slice(taken);
    }
    for (const [i, chunk] of chunks(rest).entries()) {
      // No early start: rows that join a slot just before it must not take it from the rows waiting for it.
      const ms = pacer.reserve(pace, slot, 0);
      if (ms > 0) {
        later(ms, rest.slice(i * MAX_BUNDLE));
        break;
      }
      plan.sends.push({ rows: chunk, pace, slot });
    }
  }
  return plan;
}
