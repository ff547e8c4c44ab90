// On-call queries with the real WES calendar (policies/wes.yaml). The scheduler asks "who is on call" for
// each page, and the iCal route flattens months at a time; both must stay far below a tick.
import { DateTime } from "luxon";
import { ladderState, loadScheduleFile, OnCallMemo, shifts, whoIsOnCall } from "../src/oncall/index.js";
import { businessHoursOf } from "../src/paging/scheduleDir.js";
import { loadPolicyFile } from "../src/policy/index.js";
import { zoneNamed } from "../src/zone.js";

const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ctx = { businessHours: businessHoursOf(loadPolicyFile("policies/wes.yaml").calendar) };
const saturday = DateTime.fromISO("2026-03-07T22:00", { zone: "America/New_York" });

/** CPU time per run (the machine may be shared; wall time would count the others' work too). */
function measure(name: string, runs: number, work: (i: number) => void): void {
  work(0); // warm
  const started = process.cpuUsage();
  for (let i = 0; i < runs; i++) work(i);
  const used = process.cpuUsage(started);
  const ms = (used.user + used.system) / 1000 / runs;
  console.log(
    `${name}: ${ms < 1 ? `${(ms * 1000).toFixed(ms < 0.01 ? 1 : 0)} µs` : `${ms.toFixed(1)} ms`} CPU each (${runs} runs)`,
  );
}

measure("whoIsOnCall (WES, after hours)", 2000, (i) =>
  whoIsOnCall(wes, saturday.plus({ minutes: i * 7 }), ctx),
);
measure("shifts over a year (WES)", 20, () => shifts(wes, saturday, saturday.plus({ years: 1 }), ctx));
measure("ladderState after three rounds", 500, () =>
  ladderState(
    wes.ladder!,
    saturday,
    {},
    saturday.plus({ hours: 4 }),
    (_id, t) => whoIsOnCall(wes, t, ctx).target,
  ),
);

// The night after Thanksgiving weekend, Mon 30 Nov 05:30: the segment (Fri 17:00 – Mon 08:00) is longer than
// the first look-around, so every uncached answer builds two months of timeline. The directory remembers it.
// Instants in the cached zone, as the policy engine hands them to the ladder (`action.at`).
const monday = DateTime.fromISO("2026-11-30T05:30", { zone: zoneNamed("America/New_York") });
const mondays = Array.from({ length: 600 }, (_, s) => monday.plus({ seconds: s }));
measure("whoIsOnCall (WES, Mon 05:30 after Thanksgiving)", 500, (i) =>
  whoIsOnCall(wes, mondays[i % 600]!, ctx),
);
const memo = new OnCallMemo();
measure("the same, remembered (OnCallMemo, as the directory asks)", 20000, (i) =>
  memo.whoIsOnCall(wes, mondays[i % 600]!, ctx),
);
measure("ladderState after three rounds, remembered", 2000, (i) =>
  ladderState(
    wes.ladder!,
    mondays[i % 600]!,
    {},
    mondays[i % 600]!.plus({ hours: 2 }),
    (_id, t) => memo.whoIsOnCall(wes, t, ctx).target,
  ),
);
