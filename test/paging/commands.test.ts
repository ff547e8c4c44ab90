import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleOncallCommand, type OncallCommandContext, personOf } from "../../src/paging/commands.js";
import type { OncallDirectory } from "../../src/paging/directory.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { EASTERN, eastern, openDirectory } from "./support.js";

// The WES after-hours schedule around Thanksgiving 2026: chen has the week to Mon 30 Nov 08:00,
// dana the next one, alice the one after. The help desk answers weekdays 08:00–17:00 Eastern.

describe("/oncall for WES, from the YAML alone", () => {
  let directory: OncallDirectory;
  const ask = (text: string, iso: string, zone = EASTERN) =>
    handleOncallCommand(text, { asker: "U_ASKER", askerIsAgent: true, zone, now: eastern(iso), directory });
  beforeAll(async () => {
    directory = await openDirectory();
  });

  it("on a Saturday night names the person on call, until when, and who is next", async () => {
    expect(await ask("wes-after-hours", "2026-11-28T22:00")).toBe(
      [
        "*WES after-hours on-call*",
        "Now: <@chen> until Mon 30 Nov 08:00 EST (after-hours rotation)",
        "Next: #wes-help-desk, Mon 30 Nov 08:00 EST until Mon 30 Nov 17:00 EST (outside on-call hours)",
        "Then: <@dana>, Mon 30 Nov 17:00 EST until Tue 1 Dec 08:00 EST (after-hours rotation)",
      ].join("\n"),
    );
  });

  it("on a weekday during business hours sends people to the help desk", async () => {
    expect(await ask("wes-after-hours", "2026-11-24T10:00")).toBe(
      [
        "*WES after-hours on-call*",
        "Now: #wes-help-desk until Tue 24 Nov 17:00 EST (outside on-call hours)",
        "Next: <@chen>, Tue 24 Nov 17:00 EST until Wed 25 Nov 08:00 EST (after-hours rotation)",
        "Then: #wes-help-desk, Wed 25 Nov 08:00 EST until Wed 25 Nov 17:00 EST (outside on-call hours)",
      ].join("\n"),
    );
  });

  it("treats Thanksgiving as after hours all day", async () => {
    expect(await ask("wes-after-hours", "2026-11-26T12:00")).toMatch(
      /^Now: <@chen> until Fri 27 Nov 08:00 EST/m,
    );
  });

  it("/oncall alone shows every schedule", async () => {
    const reply = await ask("", "2026-11-28T22:00");
    expect(reply).toMatch(/^\*In8Sync support on-call\*\nNow: <@support-lead>/);
    expect(reply).toContain("\n\n*WES after-hours on-call*\nNow: <@chen>");
  });

  it("/oncall schedule lists two weeks of after-hours shifts in the asker's zone", async () => {
    const reply = await ask("schedule wes-after-hours", "2026-11-28T22:00", "America/Denver");
    const lines = reply.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "*WES after-hours on-call*, next 14 days (times in America/Denver)",
      "• Sat 28 Nov 20:00 → Mon 30 Nov 06:00  <@chen> (after-hours rotation)",
      "• Mon 30 Nov 15:00 → Tue 1 Dec 06:00  <@dana> (after-hours rotation)",
    ]);
    expect(lines).toContain("• Fri 4 Dec 15:00 → Mon 7 Dec 06:00  <@dana> (after-hours rotation)");
    expect(lines).toContain("• Mon 7 Dec 15:00 → Tue 8 Dec 06:00  <@alice> (after-hours rotation)");
    expect(lines.at(-1)).toBe("Other times: #wes-help-desk (fallback).");
    expect(lines).toHaveLength(13);
  });

  it("answers help, and unknown words with the help", async () => {
    expect(await ask("help", "2026-11-28T22:00")).toMatch(/^\*\/oncall\* — who is on call/);
    expect(await ask("dance", "2026-11-28T22:00")).toMatch(/^I don't know `\/oncall dance`\.\n\*\/oncall\*/);
    expect(await ask("schedule nope", "2026-11-28T22:00")).toBe(
      'There is no on-call schedule "nope". Schedules: in8sync-support, wes-after-hours.',
    );
  });

  it.each([
    ["<@U123>", "U123"],
    ["<@U123|dana>", "U123"],
    ["@dana", "dana"],
    ["me", "U_ASKER"],
  ])("reads the person %s as %s", (token, person) => {
    expect(personOf(token, "U_ASKER")).toBe(person);
  });
});

describe("/oncall override and cancel (PGlite)", () => {
  let t: TestStore;
  let ctx: OncallCommandContext;
  beforeAll(async () => {
    t = await openTestStore("pglite");
    ctx = {
      asker: "U_ASKER",
      askerIsAgent: true,
      zone: EASTERN,
      now: eastern("2026-11-28T22:00"),
      directory: await openDirectory(t.store.prisma),
    };
  });
  afterAll(() => t.dispose());

  it("puts the person on call at once and says how to undo it", async () => {
    const reply = await handleOncallCommand("override @dana until Sunday 18:00", ctx);
    expect(reply).toMatch(
      /^✅ <@dana> covers WES after-hours on-call from Sat 28 Nov 22:00 EST until Sun 29 Nov 18:00 EST \(cover #(\d+); `\/oncall cancel \1` undoes it\)\.$/,
    );
    expect(ctx.directory.onCall("wes-after-hours", eastern("2026-11-29T09:00"))).toEqual(["dana"]);
    expect(ctx.directory.onCall("wes-after-hours", eastern("2026-11-29T19:00"))).toEqual(["chen"]);
    expect(await handleOncallCommand("covers", ctx)).toMatch(/^Covers ahead:\n• #\d+ <@dana> on WES/);
  });

  it("refuses a past or unclear until with a message saying what to type", async () => {
    expect(await handleOncallCommand("override @dana until 2026-11-28 18:00", ctx)).toBe(
      "Sat 28 Nov 2026 18:00 EST has already passed. Pick a later time. Try `Sunday 18:00`, `tomorrow 08:00`, `2026-11-29 18:00` or `+8h` (times are in America/New_York).",
    );
    expect(await handleOncallCommand("override @dana until whenever", ctx)).toMatch(
      /^I could not read "whenever" as a time\. Try `Sunday 18:00`/,
    );
    expect(await handleOncallCommand("override @dana", ctx)).toMatch(
      /^Say who covers and until when, e\.g\. `\/oncall override @dana until Sunday 18:00`/,
    );
  });

  it("refuses a person on no schedule, listing who can cover", async () => {
    expect(await handleOncallCommand("override <@U999> until +8h", ctx)).toMatch(
      /^I don't know "U999" on any on-call schedule\. People who can cover: alice, bruno/,
    );
  });

  it("takes a start, a schedule, and cancels a future cover", async () => {
    const reply = await handleOncallCommand(
      "override me on in8sync-support from 2026-12-05 08:00 until 2026-12-05 20:00",
      ctx,
    );
    // The asker is not on the In8Sync schedule: refused by the pure rules, naming who may cover.
    expect(reply).toMatch(/^I don't know "U_ASKER" on In8Sync support on-call/);
    const added = await handleOncallCommand(
      "override @ivan on in8sync-support from 2026-12-05 08:00 until 2026-12-05 20:00",
      ctx,
    );
    const id = /cover #(\d+)/.exec(added)![1];
    expect(added).toContain("from Sat 5 Dec 08:00 EST until Sat 5 Dec 20:00 EST");
    expect(await handleOncallCommand(`cancel ${id}`, ctx)).toBe(
      `Cancelled cover #${id}: <@ivan> will not cover.`,
    );
    expect(await handleOncallCommand("cancel 4242", ctx)).toBe(
      "There is no cover #4242. `/oncall covers` lists them.",
    );
  });

  it("lets only the support team add or cancel covers, on every platform alike; anyone may look", async () => {
    const customer = { ...ctx, asker: "U_CUSTOMER", askerIsAgent: false };
    const added = await handleOncallCommand(
      "override @dana from 2026-12-07 08:00 until 2026-12-07 20:00",
      ctx,
    );
    const id = /cover #(\d+)/.exec(added)![1];
    const refused = "Only the support team can change the on-call schedule.";
    expect(await handleOncallCommand("override @bruno until +8h", customer)).toBe(refused);
    expect(await handleOncallCommand("COVER @bruno until +8h", customer)).toBe(refused);
    expect(await handleOncallCommand(`cancel ${id}`, customer)).toBe(refused);
    // Nothing changed: the cover stands and the customer's cover was not added.
    expect(ctx.directory.covers(ctx.now).map((c) => [String(c.id), c.person])).toContainEqual([id, "dana"]);
    expect(ctx.directory.covers(ctx.now).map((c) => c.person)).not.toContain("bruno");
    expect(await handleOncallCommand("covers", customer)).toMatch(/^Covers ahead:/);
    expect(await handleOncallCommand(`cancel ${id}`, ctx)).toBe(
      `Cancelled cover #${id}: <@dana> will not cover.`,
    );
  });
});
