import type { OncallDirectory } from "../../src/paging/directory.js";
import type { Recipients } from "../../src/tickets/notifications.js";

/**
 * Pages and round-robin as the app wires them (src/app.ts recipientsOf), from an on-call directory: each
 * schedule name becomes `chatIds[name]` on the platform under test (Slack U…, Teams AAD ids), or stays the
 * name itself as in the terminal. Shared by the page-move tests of every platform.
 */
export function recipientsFrom(directory: OncallDirectory, chatIds: Record<string, string> = {}): Recipients {
  return {
    onCall: (s, at) => directory.resolveOnCall(s, at),
    ladder: (s) => directory.ladder(s),
    fallback: (s) => directory.schedule(s)?.fallback ?? null,
    people: (who) => [who],
    chatId: (person) => chatIds[person] ?? person,
    schedules: () => directory.schedules().map((s) => s.id),
  };
}
