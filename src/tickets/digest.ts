import type { Destination } from "../chat/port.js";
import { digestText, enqueueLastWeekDigest, lastWeekStart, weeklyDigest } from "../reports/digest.js";
import type { Actor, TicketServiceDeps } from "./deps.js";
import { forbidden, invalid } from "./errors.js";
import { queryPermission } from "./rules.js";

/** The weekly SLA digest on demand (agents only): as text to the asker, or posted where they asked. */

/** The digest of the last whole week as text (agents only); the same text the digest channel gets. */
export async function digestOnDemand(deps: TicketServiceDeps, actor: Actor): Promise<string> {
  const denied = queryPermission(actor, "digest");
  if (denied) throw forbidden(denied);
  const { policy, store } = deps;
  const now = deps.now();
  return digestText(await weeklyDigest(store.prisma, policy, lastWeekStart(policy, now), now));
}

/**
 * `/ticket digest post` (agents only): last week's digest, chart included, into `destination` (the
 * conversation where it was typed) through the outbox. `requestKey` names the request on its platform (a
 * Slack trigger id, a Teams activity id), so a platform's retry posts it once. `refusal` is the adapter's
 * answer to "can the bot post there?", asked after the permission rule; a refusal is the user's error.
 * Answers whether a message was written (false: this request was seen before).
 */
export async function postDigestHere(
  deps: TicketServiceDeps,
  actor: Actor,
  destination: Destination,
  requestKey: string,
  refusal?: () => Promise<string | undefined>,
): Promise<boolean> {
  const denied = queryPermission(actor, "digest");
  if (denied) throw forbidden(denied);
  const refused = await refusal?.();
  if (refused) throw invalid(refused);
  const key = `digest:${deps.policy.id}:asked:${requestKey}`;
  const written = await enqueueLastWeekDigest(deps.store.prisma, deps.policy, key, destination, deps.now());
  if (written > 0) deps.onNotificationsWritten?.();
  return written > 0;
}
