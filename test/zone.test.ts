import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { cachedZone, inZone, zoneNamed } from "../src/zone.js";

const FORMAT = "yyyy-LL-dd HH:mm:ss ZZ ZZZZ ZZZZZ";

/** Every `step` ms of [from, to), read as luxon reads it and through the cache, in the same order. */
function compare(zone: string, from: number, to: number, step: number, locale = "en-US") {
  const plain: string[] = [];
  const cached: string[] = [];
  for (let ts = from; ts < to; ts += step) {
    plain.push(DateTime.fromMillis(ts, { zone }).setLocale(locale).toFormat(FORMAT));
    cached.push(
      DateTime.fromMillis(ts, { zone: cachedZone(zone) })
        .setLocale(locale)
        .toFormat(FORMAT),
    );
  }
  expect(cached).toEqual(plain);
  return plain;
}

describe("zones with cached offsets and names", () => {
  it("reads the New York spring-forward and fall-back hours as luxon does (EST, EDT)", () => {
    const spring = compare("America/New_York", Date.UTC(2026, 2, 8, 5), Date.UTC(2026, 2, 8, 9), 60_000);
    expect(spring).toContain("2026-03-08 01:59:00 -05:00 EST Eastern Standard Time");
    expect(spring).toContain("2026-03-08 03:00:00 -04:00 EDT Eastern Daylight Time");
    compare("America/New_York", Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 8), 60_000);
    compare("Europe/London", Date.UTC(2026, 9, 25, 0), Date.UTC(2026, 9, 25, 2), 60_000, "en-GB");
    compare("Australia/Lord_Howe", Date.UTC(2026, 3, 4, 14), Date.UTC(2026, 3, 4, 16), 60_000);
  });

  it("keeps a change of offset and name inside a 15-minute bucket (Abidjan leaving local mean time, 1912)", () => {
    // −0:16:08 became GMT at 00:16:08 UTC, off the quarter hours; each second around it, bucket start first.
    const minute = 60_000;
    const change = Date.UTC(1912, 0, 1, 0, 16, 8);
    const names = compare("Africa/Abidjan", change - 16 * minute - 8_000, change + 30 * minute, 1_000);
    expect(names[0]).toBe("1911-12-31 23:43:52 -00:16 GMT-0:16:08 GMT-00:16:08");
    expect(names.at(-1)).toBe("1912-01-01 00:46:07 +00:00 GMT+0 GMT+00:00");
  });

  it("hands luxon the name itself where it does not read an IANA zone: UTC stays its fixed zone (Z)", () => {
    const t = DateTime.fromISO("2026-11-30T10:30:00Z");
    for (const name of ["UTC", "utc", "GMT", "UTC+3", "system", "Not/AZone", "America/New_York"]) {
      expect(inZone(t, name).toISO()).toBe(t.setZone(name).toISO());
      expect(inZone(t, name).toFormat("ZZZZ")).toBe(t.setZone(name).toFormat("ZZZZ"));
    }
    expect(inZone(t, "UTC").toISO()).toBe("2026-11-30T10:30:00.000Z");
    expect(zoneNamed("America/New_York")).toBe(cachedZone("America/New_York"));
  });
});
