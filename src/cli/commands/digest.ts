import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { DateTime } from "luxon";
import { renderDigestChart } from "../../reports/chartImage.js";
import { digestChartOf, digestText, lastWeekStart, weeklyDigest } from "../../reports/digest.js";
import { fail, withStoreAndPolicy } from "../store.js";

export function registerDigestCommand(program: Command): void {
  program
    .command("digest")
    .description("the weekly SLA digest (last whole week, or the week of --week), as posted in chat")
    .option("--week <date>", "any day of the week to show, e.g. 2026-11-16 (default: last week)")
    .option("--policy <file>", "policy file (default: POLICY_FILE)")
    .option("--png <file>", "also write the digest's chart to this PNG file, as Slack gets it")
    .action((options: { week?: string; policy?: string; png?: string }) =>
      withStoreAndPolicy(options.policy, async ({ store, policy }) => {
        const now = DateTime.now();
        const day = options.week ? DateTime.fromISO(options.week, { zone: policy.zone }) : undefined;
        if (day && !day.isValid) return fail("--week takes a date such as 2026-11-16");
        const from = day ? day.startOf("week") : lastWeekStart(policy, now);
        const digest = await weeklyDigest(store.prisma, policy, from, now);
        process.stdout.write(`${digestText(digest)}\n`);
        if (!options.png) return;
        const chart = digestChartOf(digest);
        if (!chart) return fail("no chart: no ticket with an SLA was opened that week");
        await writeFile(options.png, await renderDigestChart(chart));
        process.stdout.write(`chart: ${options.png}\n`);
      }),
    );
}
