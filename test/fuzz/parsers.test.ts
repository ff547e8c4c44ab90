import { readFileSync } from "node:fs";
import fc from "fast-check";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSchedule, ScheduleFileError } from "../../src/oncall/scheduleFile.js";
import { handleOncallCommand } from "../../src/paging/commands.js";
import type { OncallDirectory } from "../../src/paging/directory.js";
import { parseChatTime } from "../../src/paging/parseTime.js";
import { PeopleDirectory, PeopleFileError } from "../../src/paging/people.js";
import { PolicyError, parsePolicy } from "../../src/policy/index.js";
import { openDirectory } from "../paging/support.js";
import { openTestStore, type TestStore } from "../support/db.js";

/**
 * Hostile and random input to every parser a person or an operator feeds: each either accepts it or answers
 * with its own clean validation error — never another exception, never a hang.
 */
const runs = { numRuns: 300 };

/** Values that broke or slowed parsers before, mixed with random strings and numbers. */
const nasty = fc.oneof(
  fc.string(),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom(
    "999999999999 business hours",
    "99999999999 business days",
    "1e300 hours",
    "*a",
    "&a x",
    "!!binary x",
    "[[[[[[[[[[",
    "2026-02-30",
    "25:00",
    "Mars/Phobos",
    ".inf",
    "~",
    "{}",
  ),
);

/** A real file with a few lines deleted or their values replaced by `nasty` ones. */
function mutated(paths: string[]): fc.Arbitrary<string> {
  const texts = paths.map((p) => readFileSync(p, "utf8"));
  const edit = fc.tuple(fc.nat(), nasty, fc.boolean());
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([text, edits]) => {
      const lines = text.split("\n");
      for (const [at, value, remove] of edits) {
        const i = at % lines.length;
        const line = lines[i]!;
        const colon = line.indexOf(":");
        if (remove) lines.splice(i, 1);
        else lines[i] = colon >= 0 ? `${line.slice(0, colon + 1)} ${value}` : `${line} ${value}`;
      }
      return lines.join("\n");
    });
}

/** An alias bomb: ten levels of ten aliases each would expand to 10^10 nodes. */
const aliasBomb = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  ...Array.from({ length: 9 }, (_, i) => {
    const prev = i === 0 ? "a" : `b${i - 1}`;
    return `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(", ")}]`;
  }),
].join("\n");

function cleanOnly(parse: (text: string) => unknown, clean: (error: unknown) => boolean) {
  return (text: string) => {
    try {
      parse(text);
    } catch (error) {
      if (!clean(error)) throw error;
    }
  };
}

describe("the file parsers answer bad input with their own validation errors only", () => {
  const policy = cleanOnly(
    (t) => parsePolicy(t, "p.yaml"),
    (e) => e instanceof PolicyError,
  );
  const schedule = cleanOnly(
    (t) => parseSchedule(t, "s.yaml"),
    (e) => e instanceof ScheduleFileError,
  );
  const people = cleanOnly(
    (t) => PeopleDirectory.parse(t, "people.yaml"),
    (e) => e instanceof PeopleFileError,
  );

  it("policy loader", () => {
    fc.assert(
      fc.property(fc.oneof(mutated(["policies/wetx.yaml", "policies/wes.yaml"]), fc.string()), policy),
      runs,
    );
  });

  it("schedule loader", () => {
    fc.assert(fc.property(fc.oneof(mutated(["policies/oncall/wes.yaml"]), fc.string()), schedule), runs);
  });

  it("people file", () => {
    fc.assert(fc.property(fc.oneof(mutated(["policies/people.yaml"]), fc.string()), people), runs);
  });

  it("names an alias bomb, a missing anchor and a year-long target as problems", () => {
    for (const parse of [policy, schedule, people]) {
      expect(() => parse(aliasBomb)).not.toThrow();
      expect(() => parse("*nowhere")).not.toThrow();
    }
    expect(() => parsePolicy(aliasBomb, "p.yaml")).toThrow(/alias/i);
    const wetx = readFileSync("policies/wetx.yaml", "utf8");
    const endless = wetx.replace("within: end of calendar day", "within: 99999999999 business hours");
    expect(() => parsePolicy(endless, "wetx.yaml")).toThrow(/targets\[0\]\.within: longer than a year/);
  });
});

describe("/oncall input", () => {
  const zone = "America/New_York";
  const now = DateTime.fromISO("2026-11-28T22:00", { zone });
  let t: TestStore;
  let directory: OncallDirectory;
  beforeAll(async () => {
    t = await openTestStore("pglite");
    directory = await openDirectory(t.store.prisma);
  });
  afterAll(() => t.dispose());

  const timeText = fc.oneof(
    fc.string(),
    fc
      .tuple(
        fc.constantFrom("+", "in ", "", "tomorrow ", "sun ", "2026-03-08 ", "today "),
        nasty,
        fc.constantFrom("d", "h", "m", " days", "pm", ""),
      )
      .map(([a, b, c]) => a + b + c),
  );

  it("the time parser returns a valid future instant or a message, for anything", () => {
    fc.assert(
      fc.property(timeText, (text) => {
        const parsed = parseChatTime(text, now, zone);
        if (parsed.ok) expect(parsed.at.isValid && parsed.at > now).toBe(true);
        else expect(parsed.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
    expect(parseChatTime("+452910979d", now, zone)).toMatchObject({
      ok: false,
      error: /more than a year ahead/,
    });
  });

  it("commands answer with text for anything typed, and only well-formed overrides add covers", async () => {
    const before = await t.store.prisma.oncallOverride.count();
    const verbs = fc.constantFrom(
      "",
      "override ",
      "cover ",
      "cancel ",
      "schedule ",
      "covers ",
      "now ",
      "help ",
    );
    const command = fc.tuple(
      verbs,
      fc.oneof(timeText, fc.string()),
      fc.constantFrom("", " until +99999999d", " until whenever", " on nowhere"),
    );
    await fc.assert(
      fc.asyncProperty(command, async ([verb, rest, tail]) => {
        const reply = await handleOncallCommand(`${verb}${rest}${tail}`, {
          asker: "U1",
          askerIsAgent: true,
          zone,
          now,
          directory,
        });
        expect(typeof reply).toBe("string");
      }),
      runs,
    );
    // A cover needs "until <time>": random text almost never forms one, and never a year-plus one.
    const covers = await t.store.prisma.oncallOverride.findMany();
    expect(covers.length - before).toBeLessThan(5);
    for (const cover of covers)
      expect(cover.endsAt.getTime() - now.toMillis()).toBeLessThan(367 * 86_400_000);
  });
});
