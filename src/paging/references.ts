import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { knownPeople } from "../oncall/index.js";
import type { Policy } from "../policy/types.js";
import { didYouMean } from "../suggest.js";
import { formatPath, parseLocatedYaml } from "../yaml/locate.js";
import { PeopleDirectory, PeopleFileError } from "./people.js";
import { loadScheduleDir, policyCalendars, type ScheduleFile } from "./scheduleDir.js";

/**
 * Checks between files, which no single file's schema can make: every schedule, role, person and channel a
 * policy or a schedule names must exist (a typo would otherwise page nobody, silently). Each problem is one
 * `file:line path: message (did you mean …?)` line.
 */

/** A channel as policies and schedules write it: `#` and a Slack-style name. */
const CHANNEL = /^#[a-z0-9][a-z0-9_-]{0,79}$/;
const CHANNEL_HINT = 'must be a channel name like "#support" (lowercase letters, digits, - and _)';

interface Located {
  path: (string | number)[];
  message: string;
}

export function referenceProblems(
  policy: Policy,
  schedules: ScheduleFile[],
  people: PeopleDirectory,
  peopleFile: string,
): string[] {
  const scheduleIds = schedules.map((s) => s.schedule.id);
  const onCallPeople = new Set(schedules.flatMap((s) => [...knownPeople(s.schedule)]));
  const everyone = new Set([...people.people(), ...onCallPeople]);
  return [
    ...locate(
      policy.source,
      readText(policy.source),
      policyProblems(policy, scheduleIds, people, everyone, peopleFile),
    ),
    ...schedules.flatMap((file) => locate(file.path, file.text, scheduleProblems(file, scheduleIds))),
  ];
}

function policyProblems(
  policy: Policy,
  scheduleIds: string[],
  people: PeopleDirectory,
  everyone: Set<string>,
  peopleFile: string,
): Located[] {
  const problems: Located[] = [];
  policy.escalations.forEach((step, i) => {
    step.actions.forEach((action, j) => {
      const path = ["escalations", i, "actions", j];
      if ("pageOncall" in action && !scheduleIds.includes(action.pageOncall)) {
        problems.push({
          path: [...path, "pageOncall"],
          message: `no on-call schedule "${action.pageOncall}"${didYouMean(action.pageOncall, scheduleIds)}; schedules: ${scheduleIds.join(", ") || "none"}`,
        });
      }
      if ("postToChannel" in action && !CHANNEL.test(action.postToChannel))
        problems.push({
          path: [...path, "postToChannel"],
          message: `"${action.postToChannel}" ${CHANNEL_HINT}`,
        });
      if ("notify" in action) {
        const role = "role" in action.notify ? action.notify.role : undefined;
        const person = action.notify.person;
        const names = [...people.roles(), ...everyone];
        if (role !== undefined && !people.roles().includes(role) && !everyone.has(role))
          problems.push({
            path: [...path, "notify", "role"],
            message: `"${role}" is neither a role in ${peopleFile} nor a person there or on a schedule${didYouMean(role, names)}`,
          });
        if (role === undefined && person !== undefined && !everyone.has(person))
          problems.push({
            path: [...path, "notify", "person"],
            message: `"${person}" is not in ${peopleFile} nor on any schedule${didYouMean(person, everyone)}`,
          });
      }
    });
  });
  return [...problems, ...roundRobinProblems(policy, scheduleIds)];
}

/** The schedules that say who is on shift for round-robin must exist (a typo would leave nobody on shift). */
function roundRobinProblems(policy: Policy, scheduleIds: string[]): Located[] {
  const configured = policy.chat.roundRobin;
  const pools = Array.isArray(configured) ? configured : configured ? [configured] : [];
  return pools.flatMap((pool, i) =>
    (pool.schedules ?? []).flatMap((id, j) =>
      scheduleIds.includes(id)
        ? []
        : [
            {
              path: ["chat", "roundRobin", ...(Array.isArray(configured) ? [i] : []), "schedules", j],
              message: `no on-call schedule "${id}"${didYouMean(id, scheduleIds)}; schedules: ${scheduleIds.join(", ") || "none"}`,
            },
          ],
    ),
  );
}

function scheduleProblems(file: ScheduleFile, scheduleIds: string[]): Located[] {
  const problems: Located[] = [];
  const { schedule } = file;
  schedule.ladder?.levels.forEach((level, i) => {
    if (level.target.kind === "schedule" && !scheduleIds.includes(level.target.schedule))
      problems.push({
        path: ["ladder", "levels", i, "schedule"],
        message: `no on-call schedule "${level.target.schedule}"${didYouMean(level.target.schedule, scheduleIds)}`,
      });
  });
  const channels: [(string | number)[], string | undefined][] = [
    [["fallback", "channel"], schedule.fallback?.kind === "channel" ? schedule.fallback.channel : undefined],
    [["handoffNotices", "channel"], schedule.handoffNotices?.channel],
  ];
  for (const [path, channel] of channels)
    if (channel !== undefined && !CHANNEL.test(channel))
      problems.push({ path, message: `"${channel}" ${CHANNEL_HINT}` });
  return problems;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function locate(file: string, text: string, problems: Located[]): string[] {
  if (problems.length === 0) return [];
  const yaml = parseLocatedYaml(text);
  return problems.map((p) => `${file}:${yaml.lineOf(p.path)} ${formatPath(p.path)}: ${p.message}`);
}

/** Loads the schedules and the people file a policy runs with and lists every broken reference. */
export function configuredReferenceProblems(policy: Policy, oncallDir: string, peopleFile: string): string[] {
  let schedules: ScheduleFile[];
  try {
    schedules = loadScheduleDir(oncallDir, policyCalendars(dirname(policy.source), policy));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      return [`${oncallDir}: there is no such folder (ONCALL_DIR: it holds the on-call schedules)`];
    // A schedule file's own problems (ScheduleFileError, a duplicate id, an unknown calendar policy).
    return (error as Error).message.split("\n");
  }
  let people: PeopleDirectory;
  try {
    people = PeopleDirectory.load(peopleFile);
  } catch (error) {
    if (error instanceof PeopleFileError) return error.problems;
    throw error;
  }
  return referenceProblems(policy, schedules, people, peopleFile);
}
