import { describe, expect, it } from "vitest";
import { inPeopleNames, PeopleDirectory, PeopleFileError } from "../../src/paging/people.js";

describe("the people file", () => {
  const people = PeopleDirectory.parse(
    ["people:", "  chen: { name: Chen Wei, slack: U0123CHEN }", "roles:", "  legal: [chen, dana]", ""].join(
      "\n",
    ),
    "people.yaml",
  );

  it("turns names into chat ids per platform, and roles into their people", () => {
    expect(people.chatId("chen", "slack")).toBe("U0123CHEN");
    expect(people.chatId("chen", "terminal")).toBe("chen");
    expect(people.chatId("dana", "slack")).toBe("dana"); // not listed: the name as it is
    expect(people.members("legal")).toEqual(["chen", "dana"]);
    expect(people.members("chen")).toEqual(["chen"]);
  });

  it("runs /oncall in people's names and answers with Slack mentions", async () => {
    const seen: string[] = [];
    const run = inPeopleNames(people, "slack", async (text, asker) => {
      seen.push(`${asker}: ${text}`);
      return "Now: <@chen> until 08:00. Next: <@dana>.";
    });
    expect(await run("override <@U0123CHEN|chen> until 18:00", "U0123CHEN")).toBe(
      "Now: <@U0123CHEN> until 08:00. Next: *dana*.",
    );
    expect(seen).toEqual(["chen: override @chen until 18:00"]);
    expect(people.personFor("U0123CHEN", "slack")).toBe("chen");
    expect(people.personFor("U0123CHEN", "terminal")).toBeUndefined();
  });

  it("says where a bad entry is", () => {
    const bad = () => PeopleDirectory.parse("people:\n  chen:\n    slack: chen@example.com\n", "people.yaml");
    expect(bad).toThrow(PeopleFileError);
    expect(bad).toThrow("people.yaml:3 people.chen.slack: must be a Slack user id such as U0123ABCD");
  });

  it("reads the shipped file, and treats a missing one as empty", () => {
    expect(PeopleDirectory.load("policies/people.yaml").members("manager-of-software-development")).toEqual([
      "it-manager",
    ]);
    expect(PeopleDirectory.load("policies/none.yaml").chatId("chen", "slack")).toBe("chen");
  });

  it("knows Teams people by Entra object id, and says so when an id is not one", async () => {
    const aad = "0f2e1c3a-5b6d-4e7f-8a9b-0c1d2e3f4a5b";
    const teams = PeopleDirectory.parse(
      `people:\n  chen: { name: Chen Wei, teams: ${aad} }\n`,
      "people.yaml",
    );
    expect(teams.chatId("chen", "teams")).toBe(aad);
    const run = inPeopleNames(
      teams,
      "teams",
      async (text, asker) => `${asker} asked ${text}; <@chen> covers`,
    );
    expect(await run(`override <@${aad}> until 18:00`, aad)).toBe(
      `chen asked override @chen until 18:00; <@${aad}> covers`,
    );
    expect(() => PeopleDirectory.parse("people:\n  chen: { teams: 29:abc }\n", "people.yaml")).toThrow(
      "people.yaml:2 people.chen.teams: must be a Microsoft Entra object id such as 0f2e1c3a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
    );
  });
});
