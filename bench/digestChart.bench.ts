// The weekly digest's chart: how long the bot waits for one (drawn by the compiled chart process, as in
// production), what drawing it costs the bot's resident memory (nothing: a child draws it) against drawing
// in-process, and how many target-and-plan rows still fit in a Teams card.
import type { DigestChart, DigestChartGroup } from "../src/reports/digestChart.js";
import { machine } from "./harness.js";
import { record, writeResults } from "./results.js";
import { median } from "./stats.js";

// The compiled files, as `npm start` runs them (the child is then plain node, not tsx).
const { drawDigestChart } = (await import(
  new URL("../dist/reports/chartProcess.js", import.meta.url).href
)) as typeof import("../src/reports/chartProcess.js");
const { renderDigestChart } = (await import(
  new URL("../dist/reports/chartImage.js", import.meta.url).href
)) as typeof import("../src/reports/chartImage.js");
const { TEAMS_IMAGE_MAX_BASE64 } = (await import(
  new URL("../dist/chat/teams/render/digest.js", import.meta.url).href
)) as typeof import("../src/chat/teams/render/digest.js");

const targets = ["firstResponse", "nextUpdate", "resolution"] as const;
const chartOf = (rows: number): DigestChart => ({
  policyName: "WETx Support Policy",
  span: "tickets opened Mon 16 Nov – Sun 22 Nov 2026",
  week: "2026-W47",
  groups: Array.from({ length: rows }, (_, i): DigestChartGroup => {
    const target = targets[i % 3]!;
    const plan = ["standard", "silver", "gold"][Math.floor(i / 3) % 3]!;
    return {
      label: `${target} · ${plan}`,
      target,
      plan,
      met: 40 + i,
      breached: i % 4,
      open: i % 3,
      compliance: 100 - ((i * 7) % 30),
      before: 100 - ((i * 11) % 35),
      goal: i % 3 === 0 ? 95 : null,
    };
  }),
});
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);

const rssBefore = rss();
const times: number[] = [];
let png: Buffer = Buffer.alloc(0);
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  png = await drawDigestChart(chartOf(3));
  times.push(performance.now() - started);
}
const rssAfterChild = rss();
const middle = median(times);

let teamsRows = 0;
for (const rows of [1, 2, 3, 4, 5, 6, 9, 12]) {
  const small = await drawDigestChart(chartOf(rows), 0.6);
  const smaller = await drawDigestChart(chartOf(rows), 0.5);
  if (Math.min(small.length, smaller.length) * (4 / 3) > TEAMS_IMAGE_MAX_BASE64) break;
  teamsRows = rows;
}

await renderDigestChart(chartOf(3));
const rssAfterInProcess = rss();

writeResults(
  "digestChart",
  [
    record(
      "one digest chart (3 rows, 1000 px PNG) drawn by the chart process",
      "≤ 2 s",
      `median ${middle.toFixed(0)} ms of 5 (${png.length} bytes)`,
      middle <= 2000,
    ),
    record(
      "the bot's resident memory after drawing 5 charts",
      "unchanged (≤ +5 MB)",
      `${rssBefore} → ${rssAfterChild} MB (drawing in-process instead: → ${rssAfterInProcess} MB)`,
      rssAfterChild - rssBefore <= 5,
    ),
    record(
      "target-and-plan rows whose chart fits in a Teams card (base64 ≤ 64,000 characters)",
      "≥ 3 (one plan's three targets)",
      `${teamsRows}`,
      teamsRows >= 3,
    ),
  ],
  machine(),
);
console.log(
  `digest chart: median ${middle.toFixed(0)} ms; rss ${rssBefore} → ${rssAfterChild} MB (in-process → ${rssAfterInProcess} MB); ${teamsRows} rows fit in Teams`,
);
