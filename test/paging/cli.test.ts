import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerOncallCommands } from "../../src/cli/commands/oncall.js";
import { runCli } from "../support/cli.js";
import { openTestStore, type TestStore } from "../support/db.js";
import { eastern, openDirectory, WES } from "./support.js";

/** Runs `escalator oncall ARGS` and captures what it writes. */
const run = (...args: string[]) => runCli([registerOncallCommands], ["oncall", ...args]);

const SATURDAY_NIGHT = "2026-11-28T22:00:00-05:00";

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe("escalator oncall, offline from the YAML", () => {
  it("says who is on call at an instant, per schedule", async () => {
    const { stdout, exitCode } = await run("--no-db", "--at", SATURDAY_NIGHT);
    expect(stdout).toContain(
      "WES after-hours on-call\nNow: chen, until Mon 30 Nov 08:00 EST (after-hours rotation)",
    );
    expect(stdout).toContain("In8Sync support on-call\nNow: support-lead");
    expect(exitCode).toBeUndefined();
  });

  it("prints a schedule's coming days", async () => {
    const { stdout } = await run(
      "schedule",
      "--no-db",
      "--schedule",
      WES,
      "--days",
      "3",
      "--at",
      SATURDAY_NIGHT,
    );
    expect(stdout.split("\n").slice(0, 3)).toEqual([
      "WES after-hours on-call, Sat 28 Nov 22:00 EST to Tue 1 Dec 22:00 EST",
      "- chen, Sat 28 Nov 22:00 EST until Mon 30 Nov 08:00 EST (after-hours rotation)",
      "- #wes-help-desk, Mon 30 Nov 08:00 EST until Mon 30 Nov 17:00 EST (no one on call, fallback)",
    ]);
  });

  it("exports one person's shifts as an iCalendar file", async () => {
    const { stdout } = await run(
      "export",
      "--no-db",
      "--schedule",
      WES,
      "--person",
      "dana",
      "--at",
      SATURDAY_NIGHT,
    );
    expect(stdout).toMatch(/^BEGIN:VCALENDAR/);
    expect(stdout).toContain("SUMMARY:On call (WES after-hours on-call): dana");
    expect(stdout).not.toContain(": chen");
  });

  it("names the problem with a bad schedule, person, day count, instant or zone", async () => {
    expect(await run("export", "--no-db", "--schedule", "nope")).toMatchObject({
      stderr: "--schedule nope: no such schedule; schedules: in8sync-support, wes-after-hours\n",
      exitCode: 1,
    });
    expect((await run("export", "--no-db", "--schedule", WES, "--person", "zed")).stderr).toMatch(
      /^--person zed: not on wes-after-hours; people: alice, bruno/,
    );
    expect((await run("schedule", "--no-db", "--days", "0")).stderr).toMatch(
      /--days 0: must be a whole number/,
    );
    expect((await run("--no-db", "--at", "Saturday")).stderr).toMatch(/--at Saturday: not an ISO date/);
    expect((await run("--no-db", "--dir", "nowhere")).stderr).toBe("nowhere: folder not found\n");
    expect(await run("now", "--no-db", "--zone", "Mars/Base")).toMatchObject({
      stdout: "",
      stderr: "--zone Mars/Base: not a time zone; give an IANA name such as America/Denver or UTC\n",
      exitCode: 1,
    });
  });
});

describe("escalator oncall with the database (PostgreSQL)", () => {
  let t: TestStore;
  const saved = { url: process.env.DATABASE_URL, secret: process.env.ESCALATOR_SECRET };
  beforeAll(async () => {
    t = await openTestStore("postgres");
    process.env.DATABASE_URL = t.url;
    delete process.env.ESCALATOR_SECRET;
    const directory = await openDirectory(t.store.prisma);
    const cover = await directory.addOverride(
      { person: "bruno", end: eastern("2026-11-29T18:00"), by: "U1" },
      eastern("2026-11-28T21:00"),
    );
    if (!cover.ok) throw new Error(cover.error);
  });
  afterAll(async () => {
    if (saved.url === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved.url;
    if (saved.secret !== undefined) process.env.ESCALATOR_SECRET = saved.secret;
    await t.dispose();
  });

  it("includes covers stored from chat", async () => {
    const { stdout } = await run("--at", SATURDAY_NIGHT);
    expect(stdout).toContain("Now: bruno, until Sun 29 Nov 18:00 EST (covering)");
  });

  it("lists the feed URLs, one per schedule and per person, with a secret kept in the database", async () => {
    const first = await run("ical-urls", "--base-url", "https://escalator.example.com");
    const lines = first.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^In8Sync support on-call\thttps:\/\/escalator\.example\.com\/oncall\/ical\/\S{43}\.ics$/,
    );
    expect(lines).toHaveLength(2 + 6 + 6); // two schedules; In8Sync has 6 people, WES 6
    expect((await run("ical-urls", "--base-url", "https://escalator.example.com")).stdout).toBe(first.stdout);
  });
});
