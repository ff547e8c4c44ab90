import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import { runTick } from "../../src/scheduler/tick.js";
import type { Tx } from "../../src/store/outbox.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock, silentLogger } from "../support/fakes.js";

/** Dies after doing the whole re-evaluation, before its transaction commits (a process killed mid-tick). */
class DyingTickets extends TicketService {
  override async reevaluate(tx: Tx, ids: string[], now: DateTime): Promise<void> {
    await super.reevaluate(tx, ids, now);
    throw new Error("killed");
  }
}

describe("faults: a process killed during a tick", () => {
  let t: TestStore;
  const wetx = loadPolicyFile("policies/wetx.yaml");
  const clock = new FakeClock(DateTime.fromISO("2026-11-20T18:30:00", { zone: "America/Denver" }));
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("leaves nothing half-written, and the next tick (any replica) does the work once", async () => {
    const deps = { store: t.store, policy: wetx, now: clock.now };
    const tickets = new TicketService(deps);
    const home = { platform: "terminal" as const, workspaceId: "local", channelId: "support" };
    for (const summary of ["Export fails", "Login slow", "Report empty"])
      await tickets.create(actor("carol", false), { summary, channel: "email", home });
    const count = () => t.store.prisma.notification.count();
    const before = await count();
    clock.set("2026-11-24T09:00:00-07:00"); // every first response missed: breaches fall due

    const dying = { store: t.store, tickets: new DyingTickets(deps), logger: silentLogger };
    await expect(runTick(dying, clock.now())).rejects.toThrow("killed");
    expect(await count()).toBe(before);

    const healthy = { store: t.store, tickets, logger: silentLogger };
    expect((await runTick(healthy, clock.now())).evaluated).toBe(3);
    const afterOne = await count();
    expect(afterOne).toBeGreaterThan(before);
    const breaches = await t.store.prisma.notification.count({ where: { key: { endsWith: ":breach" } } });
    expect(breaches).toBe(3);
    // Run again (a second replica at the same minute, or a restart): nothing is due, nothing repeats.
    expect((await runTick(healthy, clock.now())).evaluated).toBe(0);
    expect(await count()).toBe(afterOne);
  });
});
