import type { Command } from "commander";
import { DateTime } from "luxon";
import { digestText, lastWeekStart, weeklyDigest } from "../../reports/digest.js";
import { fail, withStoreAndPolicy } from "../store.js";

export function registerDigestCommand(program: Command): void {
  program
    .command("digest")
    .description("the weekly SLA digest (last whole week, or the week of --week), as posted in chat")
    .option("--week <date>", "any day of the week to show, e.g. 2026-11-16 (default: last week)")
    .option("--policy <file>", "policy file (default: POLICY_FILE)")
    .action((options: { week?: string; policy?: string }) =>
      withStoreAndPolicy(options.policy, async ({ store, policy }) => {
        const now = DateTime.now();
        const day = options.week ? DateTime.fromISO(options.week, { zone: policy.zone }) : undefined;
        if (day && !day.isValid) return fail("--week takes a date such as 2026-11-16");
        const from = day ? day.startOf("week") : lastWeekStart(policy, now);
        process.stdout.write(`${digestText(await weeklyDigest(store.prisma, policy, from, now))}\n`);
      }),
    );
}
