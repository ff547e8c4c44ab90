import type { Policy } from "../policy/types.js";
import type { TicketStatus } from "./state.js";

/**
 * The short, plain line for the customer posted in the thread when a ticket's status changes, worded by the
 * policy file's `chat.statusLines` (defaults in policy/chatSettings.ts). Opened or reopened → received; first
 * answered or resumed → being worked on; waiting on the customer → waiting on you; resolved → resolved, with
 * how to reopen. Closing a resolved ticket says nothing more.
 */
export function statusLine(
  policy: Policy,
  before: TicketStatus | undefined,
  after: TicketStatus,
  number: number,
): string | undefined {
  if (before === after) return undefined;
  const lines = policy.chat.statusLines;
  const which =
    after === "open"
      ? before === "waiting"
        ? lines.working // the customer answered: the clock runs again and support is on it
        : lines.received
      : after === "responded"
        ? lines.working
        : after === "waiting"
          ? lines.waiting
          : after === "resolved"
            ? lines.resolved
            : undefined;
  return which?.replaceAll("{number}", String(number));
}
