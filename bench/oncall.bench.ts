// On-call queries with the real WES calendar (policies/wes.yaml). The scheduler asks "who is on call" for
// each page, and the iCal route flattens months at a time; both must stay far below a tick.
import { DateTime } from "luxon";
import { ladderState, loadScheduleFile, shifts, whoIsOnCall } from "../src/oncall/index.js";
import { businessHoursOf } from "../src/paging/scheduleDir.js";
import { loadPolicyFile } from "../src/policy/index.js";

const wes = loadScheduleFile("policies/oncall/wes.yaml");
const ctx = { businessHours: businessHoursOf(loadPolicyFile("policies/wes.yaml").calendar) };
const saturday = DateTime.fromISO("2026-03-07T22:00", { zone: "America/New_York" });

function measure(name: string, runs: number, work: (i: number) => void): void {
  work(0); // warm
  const started = performance.now();
  for (let i = 0; i < runs; i++) work(i);
  const ms = (performance.now() - started) / runs;
  console.log(
    `${name}: ${ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`} each (${runs} runs)`,
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
