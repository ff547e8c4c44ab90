import { describe, expect, it } from "vitest";
import { prepare, type ThreadRoots } from "../../src/scheduler/threads.js";
import type { ClaimedNotification } from "../../src/store/outbox.js";

const ticketId = "00000000-0000-4000-8000-000000000001";
const roots: ThreadRoots = new Map([
  [`${ticketId}:slack:root`, { channelId: "C1", messageId: "1.1", permalink: "https://acme/p11" }],
]);
const row = (over: Partial<ClaimedNotification>): ClaimedNotification => ({
  id: 1,
  key: "k",
  ticketId,
  kind: "page",
  target: { platform: "slack", workspaceId: "slack:T1", userId: "U1" },
  payload: { type: "page", ticket: { id: ticketId }, level: 1, reason: "on call" },
  orderingKey: null,
  attempts: 1,
  late: false,
  ...over,
});

describe("a claimed row as the message the adapter sends", () => {
  it("gives a page the permalink of its ticket's card, from the batch's roots", () => {
    expect(prepare(row({}), roots).threadLink).toBe("https://acme/p11");
  });

  it("says a page has no card link when its ticket has no card yet or no longer exists, so no adapter looks it up", () => {
    expect(prepare(row({ ticketId: "00000000-0000-4000-8000-000000000002" }), roots).threadLink).toBeNull();
    expect(prepare(row({ ticketId: null }), roots).threadLink).toBeNull();
  });

  it("puts a thread note under the card and edits the card in place", () => {
    const target = { platform: "slack", workspaceId: "slack:T1", thread: "ticket" };
    const note = prepare(
      row({ kind: "threadNote", target, payload: { type: "threadNote", text: "x" } }),
      roots,
    );
    expect(note.thread).toEqual({ channelId: "C1", messageId: "1.1" });
    const card = prepare(row({ kind: "ticketCard", target, payload: { type: "ticketCard" } }), roots);
    expect(card.edit).toEqual({ channelId: "C1", messageId: "1.1" });
  });
});
