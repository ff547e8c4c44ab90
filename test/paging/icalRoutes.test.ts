import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OncallDirectory } from "../../src/paging/directory.js";
import { FeedSecretError, feedToken, resolveFeedSecret } from "../../src/paging/feedSecret.js";
import { feedUrls, icalRoutes } from "../../src/paging/icalRoutes.js";
import { closeServer, createHttpServer, listen } from "../../src/server/http.js";
import { backends, openTestStore, type TestStore } from "../support/db.js";
import { FakeClock, silentLogger } from "../support/fakes.js";
import { eastern, openDirectory, WES } from "./support.js";

describe.each(backends)("on-call calendar feeds over HTTP on %s", (backend) => {
  let t: TestStore;
  let server: Server;
  let base: string;
  let secret: string;
  let directory: OncallDirectory;
  const clock = new FakeClock(eastern("2026-11-28T22:00"));

  beforeAll(async () => {
    t = await openTestStore(backend);
    directory = await openDirectory(t.store.prisma);
    secret = await resolveFeedSecret({ prisma: t.store.prisma });
    server = createHttpServer(icalRoutes({ directory, secret, now: clock.now }), silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, "127.0.0.1")}`;
  });
  afterAll(async () => {
    await closeServer(server);
    await t.dispose();
  });

  const url = (scheduleId: string, person?: string) =>
    feedUrls(base, { directory, secret }).find((f) => f.scheduleId === scheduleId && f.person === person)!
      .url;

  it("serves a schedule's feed as text/calendar with its shifts as VEVENTs", async () => {
    const response = await fetch(url(WES));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const body = await response.text();
    expect(body).toMatch(/^BEGIN:VCALENDAR/);
    expect(body).toContain("SUMMARY:On call (WES after-hours on-call): chen");
    // The help desk's business hours are events too in the schedule feed (a fallback channel).
    expect(body).toContain("SUMMARY:On call (WES after-hours on-call): #wes-help-desk");
    // chen's weekend Fri 27 Nov 17:00 → Mon 30 Nov 08:00 Eastern, whole, in UTC.
    expect(body).toMatch(/DTSTART:20261127T220000Z\r\nDTEND:20261130T130000Z/);
  });

  it("serves a person's feed with only their shifts, including a cover added from chat", async () => {
    const added = await directory.addOverride(
      { person: "bruno", start: eastern("2026-12-19T09:00"), end: eastern("2026-12-20T09:00"), by: "U1" },
      clock.now(),
    );
    expect(added.ok).toBe(true);
    const body = await (await fetch(url(WES, "bruno"))).text();
    const summaries = body.match(/^SUMMARY:.*$/gm)!;
    expect(new Set(summaries)).toEqual(new Set(["SUMMARY:On call (WES after-hours on-call): bruno"]));
    expect(body).toContain("DTSTART:20261219T140000Z");
  });

  it("answers 404 to a bad token, a token for another secret, and a path without .ics", async () => {
    const good = url(WES);
    const wrongSecret = feedToken("another secret entirely", { scheduleId: WES });
    for (const path of [
      `/oncall/ical/${"A".repeat(43)}.ics`,
      `/oncall/ical/${wrongSecret}.ics`,
      good.replace(/\.ics$/, ""),
      "/oncall/ical/",
    ]) {
      const response = await fetch(path.startsWith("http") ? path : `${base}${path}`);
      expect(response.status, path).toBe(404);
    }
  });

  it("lists a URL per schedule and per person, all different", () => {
    const feeds = feedUrls("https://escalator.example.com/", { directory, secret });
    expect(feeds.filter((f) => !f.person).map((f) => f.scheduleId)).toEqual(["in8sync-support", WES]);
    expect(feeds.filter((f) => f.scheduleId === WES && f.person).map((f) => f.person)).toEqual([
      "alice",
      "bruno",
      "chen",
      "dana",
      "it-manager",
      "vp-technology",
    ]);
    expect(new Set(feeds.map((f) => f.url)).size).toBe(feeds.length);
    expect(feeds[0]!.url).toMatch(
      /^https:\/\/escalator\.example\.com\/oncall\/ical\/[A-Za-z0-9_-]{43}\.ics$/,
    );
  });

  it("generates the secret once and keeps it; ESCALATOR_SECRET takes precedence", async () => {
    expect(await resolveFeedSecret({ prisma: t.store.prisma })).toBe(secret);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const fromEnv = "a-long-enough-env-secret";
    expect(await resolveFeedSecret({ envSecret: fromEnv, prisma: t.store.prisma })).toBe(fromEnv);
    await expect(resolveFeedSecret({ envSecret: "short" })).rejects.toThrow(FeedSecretError);
    await expect(resolveFeedSecret({})).rejects.toThrow(/need ESCALATOR_SECRET or the database/);
  });

  it("keeps one secret per deployment: a replica or CLI with another ESCALATOR_SECRET, or none, refuses", async () => {
    // Runs after the test above, which made "a-long-enough-env-secret" the deployment's secret.
    const prisma = t.store.prisma;
    expect(await resolveFeedSecret({ envSecret: "a-long-enough-env-secret", prisma })).toBe(
      "a-long-enough-env-secret",
    );
    await expect(resolveFeedSecret({ envSecret: "another-replicas-secret!", prisma })).rejects.toThrow(
      /differs from the one this deployment already uses/,
    );
    await expect(resolveFeedSecret({ prisma })).rejects.toThrow(/ESCALATOR_SECRET is not set here/);
    const stored = await prisma.setting.findMany();
    expect(JSON.stringify(stored)).not.toContain("a-long-enough-env-secret");
  });
});
