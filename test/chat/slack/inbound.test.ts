import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimEvent, pruneInboundEvents } from "../../../src/chat/slack/inbound.js";
import { openTestStore, type TestStore } from "../../support/db.js";

describe("Events API retries", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("handles an event_id once, and forgets it after the retention the scheduler prunes to", async () => {
    const monday = new Date("2026-11-23T10:00:00Z");
    expect(await claimEvent(t.store.prisma, "Ev1", monday)).toBe(true);
    expect(await claimEvent(t.store.prisma, "Ev1", new Date("2026-11-23T10:00:30Z"))).toBe(false);
    expect(await pruneInboundEvents(t.store.prisma, new Date("2026-11-23T09:00:00Z"))).toBe(0);
    expect(await pruneInboundEvents(t.store.prisma, new Date("2026-11-25T10:00:00Z"))).toBe(1);
    expect(await claimEvent(t.store.prisma, "Ev1", new Date("2026-11-25T10:00:00Z"))).toBe(true);
  });
});
