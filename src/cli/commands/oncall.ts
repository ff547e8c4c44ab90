import { dirname } from "node:path";
import type { Command } from "commander";
import { DateTime, IANAZone } from "luxon";
import { coerceError } from "../../logger.js";
import {
  formatOnCallNowAndNext,
  formatScheduleText,
  knownPeople,
  ScheduleFileError,
  scheduleToICal,
} from "../../oncall/index.js";
import { OncallDirectory } from "../../paging/directory.js";
import { FeedSecretError, resolveFeedSecret } from "../../paging/feedSecret.js";
import { feedUrls } from "../../paging/icalRoutes.js";
import { renderGapWarning } from "../../paging/render.js";
import { businessHoursOf, policyCalendars } from "../../paging/scheduleDir.js";
import { DataDirInUseError } from "../../store/dataDirLock.js";
import { openMigratedStore, type Store, storeLocation } from "../../store/db.js";
import { loadConfigOrExit } from "../config.js";
import { orRunningBot } from "../store.js";
import { loadPolicyOrReport } from "./policy.js";

interface CommonOptions {
  dir?: string;
  policy?: string;
  /** commander's `--no-db` */
  db: boolean;
  at?: string;
  zone?: string;
}

const fail = (message: string): void => {
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
};

/**
 * Opens the schedules for one command: the YAML files, the policy's business hours, and, unless
 * `--no-db`, the covers stored in the database. When the database cannot be opened (the service
 * holds the embedded one, or PostgreSQL is down) the answer comes from the YAML alone, with a note.
 */
async function withDirectory(
  options: CommonOptions,
  work: (directory: OncallDirectory, store: Store | undefined) => Promise<void> | void,
  needsDb = false,
): Promise<void> {
  if (options.zone && !IANAZone.isValidZone(options.zone))
    return fail(`--zone ${options.zone}: not a time zone; give an IANA name such as America/Denver or UTC`);
  const config = loadConfigOrExit();
  if (!config) return;
  const policy = loadPolicyOrReport(options.policy ?? config.POLICY_FILE);
  if (!policy) return;
  const dir = options.dir ?? config.ONCALL_DIR;
  const businessHours = businessHoursOf(policy.calendar);
  let store: Store | undefined;
  if (options.db) {
    try {
      store = (await openMigratedStore(storeLocation(config))).store;
    } catch (error) {
      if (needsDb && error instanceof DataDirInUseError) throw error;
      process.stderr.write(`note: covers from the database are left out (${coerceError(error).message}).\n`);
    }
  }
  try {
    const directory = await OncallDirectory.open({
      dir,
      businessHours,
      policies: policyCalendars(dirname(options.policy ?? config.POLICY_FILE), policy),
      ...(store ? { prisma: store.prisma } : {}),
    });
    await work(directory, store);
  } catch (error) {
    if (error instanceof ScheduleFileError || error instanceof FeedSecretError) return fail(error.message);
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fail(`${dir}: folder not found`);
    throw error;
  } finally {
    await store?.close();
  }
}

function instant(text: string | undefined): DateTime | null {
  if (!text) return DateTime.utc();
  const at = DateTime.fromISO(text, { setZone: true });
  if (!at.isValid) {
    fail(`--at ${text}: not an ISO date and time, e.g. 2026-11-28T22:00-05:00`);
    return null;
  }
  return at;
}

function common(command: Command): Command {
  return command
    .option("--dir <folder>", "schedule folder (default: ONCALL_DIR, policies/oncall)")
    .option("--policy <file>", "policy whose business hours apply (default: POLICY_FILE)")
    .option("--no-db", "use the YAML files alone, without covers from the database")
    .option("--at <iso>", "the instant to ask about (default: now)")
    .option("--zone <iana>", "time zone to print in (default: each schedule's)");
}

export function registerOncallCommands(program: Command): void {
  const oncall = program
    .command("oncall")
    .description("on-call schedules: who is on call, schedules, calendars");

  common(oncall.command("now", { isDefault: true }))
    .description("who is on call now (or --at), per schedule, and who is next")
    .action((options: CommonOptions) =>
      withDirectory(options, (directory) => {
        const at = instant(options.at);
        if (!at) return;
        const texts = directory
          .schedules()
          .map((s) => formatOnCallNowAndNext(s, at, directory.context, { zone: options.zone ?? s.zone }));
        process.stdout.write(`${texts.join("\n\n")}\n`);
      }),
    );

  common(oncall.command("schedule"))
    .description("every on-call stretch of the coming days, per schedule")
    .option("--days <n>", "how many days", "14")
    .option("--schedule <id>", "only this schedule")
    .action((options: CommonOptions & { days: string; schedule?: string }) =>
      withDirectory(options, (directory) => {
        const from = instant(options.at);
        const days = positive(options.days, "--days");
        const schedules = pick(directory, options.schedule);
        if (!from || !days || !schedules) return;
        const to = from.plus({ days });
        const texts = schedules.map((s) =>
          formatScheduleText(s, from, to, directory.context, { zone: options.zone ?? s.zone }),
        );
        process.stdout.write(`${texts.join("\n\n")}\n`);
        const warning = renderGapWarning(directory.gaps(from, to), options.zone ?? "UTC");
        if (warning) process.stderr.write(`${warning}\n`);
      }),
    );

  common(oncall.command("export"))
    .description(
      "an iCalendar file of a schedule (or one person's shifts): escalator oncall export … > file.ics",
    )
    .requiredOption("--schedule <id>", "the schedule")
    .option("--person <id>", "only this person's shifts")
    .option("--days <n>", "how many days from now (or --at)", "90")
    .action((options: CommonOptions & { schedule: string; person?: string; days: string }) =>
      withDirectory(options, (directory) => {
        const from = instant(options.at);
        const days = positive(options.days, "--days");
        const schedule = pick(directory, options.schedule)?.[0];
        if (!from || !days || !schedule) return;
        const person = options.person;
        if (person && !knownPeople(schedule).has(person)) {
          return fail(
            `--person ${person}: not on ${schedule.id}; people: ${[...knownPeople(schedule)].join(", ")}`,
          );
        }
        const ics = scheduleToICal(schedule, from, from.plus({ days }), {
          ...directory.context,
          ...(person ? { person } : {}),
        });
        process.stdout.write(ics);
      }),
    );

  oncall
    .command("ical-urls")
    .description(
      "the secret calendar feed URLs, per schedule and per person (share each with its owner only)",
    )
    .requiredOption("--base-url <url>", "the service's public address, e.g. https://escalator.example.com")
    .option("--dir <folder>", "schedule folder (default: ONCALL_DIR)")
    .option("--policy <file>", "policy whose business hours apply (default: POLICY_FILE)")
    .action((options: Omit<CommonOptions, "db"> & { baseUrl: string }) => {
      // Always the database: it says which secret the replicas sign with, so these URLs work on every one.
      const needsDb = true;
      return orRunningBot({ command: "oncall ical-urls", baseUrl: options.baseUrl }, async () => {
        await withDirectory(
          { ...options, db: needsDb },
          async (directory, store) => {
            const secret = await resolveFeedSecret({
              envSecret: process.env.ESCALATOR_SECRET,
              ...(store ? { prisma: store.prisma } : {}),
            });
            process.stdout.write(feedLines(options.baseUrl, directory, secret));
          },
          needsDb,
        );
        return undefined;
      });
    });
}

/** One `label<TAB>url` line per feed. */
export function feedLines(baseUrl: string, directory: OncallDirectory, secret: string): string {
  return feedUrls(baseUrl, { directory, secret })
    .map((feed) => `${feed.label}\t${feed.url}\n`)
    .join("");
}

function positive(text: string, flag: string): number | null {
  const n = Number(text);
  if (Number.isInteger(n) && n > 0 && n <= 366) return n;
  fail(`${flag} ${text}: must be a whole number of days from 1 to 366`);
  return null;
}

function pick(directory: OncallDirectory, id: string | undefined) {
  if (!id) return directory.schedules();
  const schedule = directory.schedule(id);
  if (schedule) return [schedule];
  fail(
    `--schedule ${id}: no such schedule; schedules: ${directory
      .schedules()
      .map((s) => s.id)
      .join(", ")}`,
  );
  return null;
}
