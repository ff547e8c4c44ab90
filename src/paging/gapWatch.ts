import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import { enqueueNotifications, type Tx } from "../store/outbox.js";
import type { OncallDirectory } from "./directory.js";
import { renderGapWarning } from "./render.js";

const LOOK_AHEAD_DAYS = 14;

/**
 * Tells admins about on-call gaps in the next two weeks, once per gap: each gap is an outbox row keyed by
 * schedule and start, so checking every tick (on every replica) still warns once.
 */
export async function warnAboutGaps(
  tx: Tx,
  directory: OncallDirectory,
  admin: Destination,
  now: DateTime,
  zone: string,
): Promise<number> {
  const gaps = directory.gaps(now, now.plus({ days: LOOK_AHEAD_DAYS }));
  return enqueueNotifications(
    tx,
    gaps.map((gap) => ({
      key: `oncall-gap:${gap.scheduleId}:${gap.start.toUTC().toISO()}`,
      kind: "adminAlert",
      target: { ...admin },
      payload: { type: "adminAlert", text: renderGapWarning([gap], zone) },
    })),
    now.toJSDate(),
  );
}
