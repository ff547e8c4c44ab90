import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OncallDirectory } from "../../src/paging/directory.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { Policy } from "../../src/policy/types.js";
import { openStore, type Store } from "../../src/store/db.js";
import type { Recipients } from "../../src/tickets/notifications.js";
import { TicketService } from "../../src/tickets/service.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { actor, FakeClock } from "../support/fakes.js";
import { recipientsFrom } from "../support/oncall.js";

// Three desks, one person each; Dana's desk is staffed weekday mornings only (08:00–12:00 Mountain).
const desk = (id: string, member: string, only = "[]") => `id: ${id}
name: ${id}
zone: America/Denver
layers:
  - name: desk
    rotation: { members: [${member}], shift: weekly, handoff: "08:00", start: "2026-01-05" }
    only: ${only}
`;
const base = loadPolicyFile("policies/support-guidelines.yaml");
const policy: Policy = {
  ...base,
  chat: {
    ...base.chat,
    roundRobin: [
      { channels: ["mornings"], schedules: ["desk-c"], agents: ["zed"] },
      { schedules: ["desk-a", "desk-b", "desk-c"] },
    ],
  },
};
const customer = actor("carol", false);
const home = (channelId: string) => ({ platform: "terminal" as const, workspaceId: "local", channelId });
const clock = new FakeClock(DateTime.fromISO("2026-11-17T10:00:00", { zone: "America/Denver" })); // Tuesday

describe("round-robin among the agents the on-call schedules put on shift", () => {
  let t: TestStore;
  let dir: string;
  let recipients: Recipients;
  const service = (store: Store = t.store) =>
    new TicketService({ store, policy, now: clock.now, recipients });
  const open = async (tickets: TicketService, n: number, channel = "support") => {
    const assignees: (string | null)[] = [];
    for (let i = 0; i < n; i++)
      assignees.push(
        (await tickets.create(customer, { summary: `scanner ${i}`, home: home(channel) })).ticket.assigneeId,
      );
    return assignees;
  };
  const alerts = async () =>
    (
      await t.store.prisma.notification.findMany({ where: { kind: "adminAlert" }, orderBy: { id: "asc" } })
    ).map((n) => (n.payload as { text: string }).text);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "escalator-shifts-"));
    writeFileSync(join(dir, "a.yaml"), desk("desk-a", "alice"));
    writeFileSync(join(dir, "b.yaml"), desk("desk-b", "bob"));
    writeFileSync(
      join(dir, "c.yaml"),
      desk("desk-c", "dana", '[{ days: [mon, tue, wed, thu, fri], from: "08:00", to: "12:00" }]'),
    );
    const directory = await OncallDirectory.open({ dir });
    recipients = recipientsFrom(directory);
    t = await openTestStore("postgres");
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes turns among the three on shift at 10:00, and stays fair after a restart", async () => {
    expect(await open(service(), 4)).toEqual(["alice", "bob", "dana", "alice"]);
    const restarted = await openStore({ kind: "postgres", url: t.url! });
    try {
      expect(await open(service(restarted), 2)).toEqual(["bob", "dana"]);
    } finally {
      await restarted.close();
    }
    expect(await alerts()).toEqual([]);
  });

  it("skips Dana at 14:00, when her desk is off shift, and she takes the next turn when back on", async () => {
    clock.set("2026-11-17T14:00:00-07:00");
    expect(await open(service(), 3)).toEqual(["alice", "bob", "alice"]);
    clock.set("2026-11-18T08:30:00-07:00");
    expect(await open(service(), 1)).toEqual(["dana"]); // her last turn is the oldest
  });

  it("tells the operator when nobody is on shift: the listed agents take it, or it waits unassigned", async () => {
    clock.set("2026-11-18T15:00:00-07:00");
    expect(await open(service(), 1, "mornings")).toEqual(["zed"]);
    await service().setAway(actor("alice", true), true);
    await service().setAway(actor("bob", true), true);
    expect(await open(service(), 1)).toEqual([null]);
    const said = await alerts();
    expect(said[0]).toMatch(/^#\d+: round-robin: schedule desk-c put nobody on shift; it went to zed/);
    expect(said[1]).toMatch(
      /^#\d+: round-robin: everyone on shift \(alice, bob\) is away; it waits unassigned/,
    );
  });
});
