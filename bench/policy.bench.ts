/**
 * Deadline throughput: a two-week business-hours target (120 business hours on WETx's 12-hour
 * weekdays, across Thanksgiving, Christmas and New Year) computed by interval arithmetic, against a
 * minute-stepping baseline in the same process. Run: npx tsx bench/policy.bench.ts
 */
import { DateTime, Duration } from "luxon";
import { addBusinessMs, addBusinessTime, isOpenMs } from "../src/policy/business-time.js";
import { loadPolicyFile } from "../src/policy/index.js";

const policy = loadPolicyFile(new URL("../policies/wetx.yaml", import.meta.url).pathname);
const calendar = policy.calendar;
const twoWeeks = Duration.fromObject({ hours: 120 });
const twoWeeksMs = twoWeeks.toMillis();
const first = DateTime.fromISO("2026-11-16T00:00", { zone: policy.zone });
// Starts every 7 minutes across six weeks, so they land inside, before and after hours.
const starts = Array.from({ length: 8640 }, (_, i) => first.plus({ minutes: 7 * i }));

/** The approach the engine avoids: one open/closed check per minute until the budget is used up. */
function minuteStepping(start: number, ms: number): number {
  let t = start;
  let remaining = ms / 60_000;
  while (remaining > 0) {
    if (isOpenMs(calendar, t)) remaining--;
    t += 60_000;
  }
  return t;
}

function rate(label: string, seconds: number, run: (i: number) => number): number {
  let checksum = 0;
  for (let i = 0; i < 2000; i++) checksum += run(i); // warm-up: builds the calendar years, JIT
  let count = 0;
  const began = performance.now();
  const until = began + seconds * 1000;
  while (performance.now() < until) {
    for (let j = 0; j < 100; j++) checksum += run(count++);
  }
  const perSecond = count / ((performance.now() - began) / 1000);
  process.stdout.write(`${label.padEnd(48)} ${Math.round(perSecond).toLocaleString("en-US")}/s\n`);
  if (checksum === 0) process.stdout.write("");
  return perSecond;
}

const check = starts.slice(0, 200).every((s) => {
  const a = addBusinessMs(calendar, s.toMillis(), twoWeeksMs);
  const b = minuteStepping(s.toMillis(), twoWeeksMs);
  return a === b;
});
process.stdout.write(`interval and minute-stepping results agree: ${check}\n`);

const pick = (i: number) => starts[i % starts.length]!;
const intervalMs = rate("interval arithmetic (epoch ms)", 2, (i) =>
  addBusinessMs(calendar, pick(i).toMillis(), twoWeeksMs),
);
const intervalLuxon = rate("interval arithmetic (luxon DateTime in and out)", 2, (i) =>
  addBusinessTime(calendar, pick(i), twoWeeks).toMillis(),
);
const stepping = rate("minute-stepping baseline", 2, (i) => minuteStepping(pick(i).toMillis(), twoWeeksMs));
process.stdout.write(
  `ratio (epoch ms / minute stepping): ${Math.round(intervalMs / stepping).toLocaleString("en-US")}x\n`,
);
process.stdout.write(
  `ratio (luxon / minute stepping): ${Math.round(intervalLuxon / stepping).toLocaleString("en-US")}x\n`,
);
process.stdout.write(`goal >= 200,000/s: ${intervalLuxon >= 200_000 ? "met" : "NOT met"} (luxon path)\n`);
