import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceHandoffs, pagedSchedules } from "../../src/paging/handoffWatch.js";
import { loadPolicyFile } from "../../src/policy/index.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { eastern, openDirectory } from "./support.js";

describe("handoff notices", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore("pglite");
  });
  afterAll(() => t.dispose());

  it("announce the WES after-hours handoff in the help desk channel once, on every tick that sees it", async () => {
    const directory = await openDirectory();
    const deps = {
      channel: (channelName: string) => ({
        platform: "terminal" as const,
        workspaceId: "local",
        channelName,
      }),
      mention: (person: string) => `<@${person}>`,
      zone: "America/New_York",
      paged: pagedSchedules([loadPolicyFile("policies/wes.yaml")], directory),
    };
    // Monday 30 November 17:00 Eastern: business hours end and the after-hours rotation (dana's week) starts.
    expect(await announceHandoffs(t.store.prisma, directory, deps, eastern("2026-11-30T16:59"))).toBe(0);
    expect(await announceHandoffs(t.store.prisma, directory, deps, eastern("2026-11-30T17:00"))).toBe(1);
    expect(await announceHandoffs(t.store.prisma, directory, deps, eastern("2026-11-30T17:01"))).toBe(0);
    const rows = await t.store.prisma.notification.findMany({ where: { key: { startsWith: "handoff:" } } });
    expect(
      rows.map((r) => [
        r.key,
        (r.target as { channelName: string }).channelName,
        (r.payload as { text: string }).text,
      ]),
    ).toEqual([
      [
        "handoff:wes-after-hours:2026-11-30T22:00:00.000Z",
        "#wes-help-desk",
        "🔄 WES after-hours on-call: <@dana> is on call now, until Tue 1 Dec 08:00 EST.",
      ],
    ]);
  });

  it("stay silent for a schedule no loaded policy pages (the WES rotation under POLICY_FILE=wetx)", async () => {
    const directory = await openDirectory();
    const paged = pagedSchedules([loadPolicyFile("policies/wetx.yaml")], directory);
    expect([...paged]).toEqual([]);
    const deps = {
      channel: (channelName: string) => ({
        platform: "terminal" as const,
        workspaceId: "other",
        channelName,
      }),
      mention: (person: string) => `<@${person}>`,
      zone: "America/Denver",
      paged,
    };
    expect(await announceHandoffs(t.store.prisma, directory, deps, eastern("2026-12-01T17:00"))).toBe(0);
  });
});
