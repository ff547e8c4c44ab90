import { DateTime } from "luxon";
import { SimulatedClock } from "../clock.js";
import type { Policy } from "../policy/types.js";
import type { RunningScheduler } from "../scheduler/runner.js";
import { earliestNextCheck } from "../scheduler/tick.js";
import type { Store } from "../store/db.js";

/**
 * Simulated time starts at --at (or now), but never before what the data folder already holds: time only
 * moves forward, or an acknowledgement could land before the page it answers.
 */
export async function simulatedClock(
  policy: Policy,
  terminal: { at?: string; speed?: number; write: (text: string) => void },
  store: Store,
): Promise<SimulatedClock> {
  const wanted = terminal.at
    ? DateTime.fromISO(terminal.at, { zone: policy.zone })
    : DateTime.now().setZone(policy.zone);
  const [events, sent] = await Promise.all([
    store.prisma.ticketEvent.aggregate({ _max: { at: true } }),
    store.prisma.notification.aggregate({ _max: { createdAt: true } }),
  ]);
  const latest = Math.max(events._max.at?.getTime() ?? 0, sent._max.createdAt?.getTime() ?? 0);
  const floor = latest ? DateTime.fromMillis(latest + 1000, { zone: policy.zone }) : undefined;
  if (floor && floor > wanted) {
    terminal.write(
      `(This data folder already goes up to ${floor.toFormat("ccc d LLL HH:mm")}; time starts there.)`,
    );
    return new SimulatedClock(floor, terminal.speed ?? 1);
  }
  return new SimulatedClock(wanted, terminal.speed ?? 1);
}

/** Moves simulated time forward, stopping at each instant a ticket needs a look, so steps fire on time. */
export async function advanceTo(
  store: Store,
  clock: SimulatedClock,
  scheduler: RunningScheduler,
  to: DateTime,
): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    const next = await earliestNextCheck(store);
    if (!next || next.getTime() > to.toMillis()) break;
    if (next.getTime() > clock.now().toMillis()) clock.setTo(DateTime.fromJSDate(next));
    await scheduler.tickNow();
  }
  if (to > clock.now()) clock.setTo(to);
  await scheduler.tickNow();
}
