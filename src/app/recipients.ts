import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import type { SlackApp } from "../chat/slack/app.js";
import type { TeamsApp } from "../chat/teams/app.js";
import type { OncallCommand } from "../paging/commands.js";
import { handleOncallCommand, type OncallDirectory, renderNowAndNext } from "../paging/index.js";
import { inPeopleNames, type PeopleDirectory, toChatMentions } from "../paging/people.js";
import type { Recipients } from "../tickets/notifications.js";

/** Pages go to whoever the schedule (with its covers) puts on call; names become chat ids via the people file. */
export function recipientsOf(directory: OncallDirectory, people: PeopleDirectory): Recipients {
  return {
    onCall: (schedule, at) => directory.resolveOnCall(schedule, at),
    ladder: (schedule) => directory.ladder(schedule),
    fallback: (schedule) => directory.schedule(schedule)?.fallback ?? null,
    people: (who) => people.members(who),
    label: (who) => people.label(who),
    chatId: (person, platform) => people.chatId(person, platform),
    schedules: () => directory.schedules().map((s) => s.id),
  };
}

/** `/oncall` answered in schedule and people names (the terminal chat's words). */
export function oncallByName(directory: OncallDirectory) {
  return (text: string, asker: string, zone: string, now: DateTime, askerIsAgent: boolean) =>
    handleOncallCommand(text, { asker, askerIsAgent, zone, now, directory });
}

/** `/oncall` as a chat platform asks it: its user ids and mentions become schedule names and back. */
export function oncallOnPlatform(
  directory: OncallDirectory,
  people: PeopleDirectory,
  platform: "slack" | "teams",
): OncallCommand {
  const oncall = oncallByName(directory);
  return (text, asker, zone, now, isAgent) =>
    inPeopleNames(people, platform, (input, name) => oncall(input, name, zone, now, isAgent))(text, asker);
}

/** Who is on call now and next on every schedule, with Slack mentions (the App Home and `/oncall` alone). */
export function oncallTextForSlack(directory: OncallDirectory, people: PeopleDirectory, zone: string) {
  return (at: DateTime) =>
    toChatMentions(
      people,
      "slack",
      directory
        .schedules()
        .map((s) => renderNowAndNext(s, at, directory.context, zone))
        .join("\n\n"),
    );
}

/** The first configured platform's admin channel; the terminal chat has its own. */
export function adminChannel(
  slack: SlackApp | undefined,
  teams: TeamsApp | undefined,
  terminal: boolean,
): Destination | undefined {
  if (slack?.adminDestination) return slack.adminDestination;
  if (teams?.adminDestination) return teams.adminDestination;
  return terminal
    ? { platform: "terminal", workspaceId: "local", channelName: "#escalator-admin" }
    : undefined;
}
