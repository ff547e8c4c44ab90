import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Platform } from "../chat/port.js";
import { formatPath, parseLocatedYaml } from "../yaml/locate.js";

/**
 * Who the names in policies and schedules are: a person's chat user id per platform, and the members of a
 * role (legal, tam, it-manager …). Policies and schedules say "chen" or "legal"; Slack needs "U0123ABCD".
 */
const peopleFileSchema = z.strictObject({
  people: z
    .record(
      z.string(),
      z.strictObject({
        name: z.string().optional(),
        slack: z
          .string()
          .regex(/^[UW][A-Z0-9]+$/, "must be a Slack user id such as U0123ABCD")
          .optional(),
        /** Teams: the person's Microsoft Entra (AAD) object id; pages go to their 1:1 chat with the bot. */
        teams: z
          .string()
          .regex(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
            "must be a Microsoft Entra object id such as 0f2e1c3a-5b6d-4e7f-8a9b-0c1d2e3f4a5b",
          )
          .optional(),
      }),
    )
    .default({}),
  roles: z.record(z.string(), z.array(z.string()).min(1, "list at least one person")).default({}),
});

export class PeopleFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "PeopleFileError";
  }
}

export class PeopleDirectory {
  private constructor(private readonly file: z.infer<typeof peopleFileSchema>) {}

  static empty(): PeopleDirectory {
    return new PeopleDirectory({ people: {}, roles: {} });
  }

  /** A missing file is an empty directory: names are then used as chat ids as they are (the terminal). */
  static load(path: string): PeopleDirectory {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return PeopleDirectory.empty();
      throw error;
    }
    return PeopleDirectory.parse(text, path);
  }

  static parse(text: string, fileName: string): PeopleDirectory {
    const yaml = parseLocatedYaml(text);
    if (yaml.syntaxErrors.length)
      throw new PeopleFileError(yaml.syntaxErrors.map((e) => `${fileName}:${e.line} ${e.message}`));
    const parsed = peopleFileSchema.safeParse(yaml.value ?? {});
    if (!parsed.success) {
      throw new PeopleFileError(
        parsed.error.issues.map(
          (i) => `${fileName}:${yaml.lineOf(i.path)} ${formatPath(i.path)}: ${i.message}`,
        ),
      );
    }
    return new PeopleDirectory(parsed.data);
  }

  /** How a person or role is shown: the file's name for them, else the name with dashes as spaces. */
  label(who: string): string {
    return this.file.people[who]?.name ?? who.replaceAll("-", " ");
  }

  /** Every role the file defines. */
  roles(): string[] {
    return Object.keys(this.file.roles);
  }

  /** Every person the file names. */
  people(): string[] {
    return Object.keys(this.file.people);
  }

  /** The people a role names, or the person themself. */
  members(roleOrPerson: string): string[] {
    return this.file.roles[roleOrPerson] ?? [roleOrPerson];
  }

  /** Who a chat user id is (the name policies and schedules use), if the file says. */
  personFor(chatId: string, platform: Platform): string | undefined {
    const key = platform === "slack" ? "slack" : platform === "teams" ? "teams" : undefined;
    if (!key) return undefined;
    return Object.entries(this.file.people).find(([, entry]) => entry[key] === chatId)?.[0];
  }

  /** The person's user id on a platform; the name itself where none is configured. */
  chatId(person: string, platform: Platform): string {
    const entry = this.file.people[person];
    const id = platform === "slack" ? entry?.slack : platform === "teams" ? entry?.teams : undefined;
    return id ?? person;
  }
}

/**
 * Runs an on-call chat command in people's names: a platform's mentions and the asker become the names the
 * schedules use, and the names in the reply become mentions again (or bold names where no id is known).
 */
export function inPeopleNames(
  people: PeopleDirectory,
  platform: Platform,
  run: (text: string, asker: string) => Promise<string>,
): (text: string, asker: string) => Promise<string> {
  const name = (id: string) => people.personFor(id, platform) ?? id;
  return async (text, asker) => {
    const input = text.replace(/<@([^>|\s]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${name(id)}`);
    return toChatMentions(people, platform, await run(input, name(asker)));
  };
}

/** `<@chen>` (a name) → `<@U0123CHEN>` on the platform, or `*chen*` where no id is known. */
export function toChatMentions(people: PeopleDirectory, platform: Platform, text: string): string {
  return text.replace(/<@([^>|]+)>/g, (_, person: string) => {
    const id = people.chatId(person, platform);
    return id === person ? `*${person}*` : `<@${id}>`;
  });
}
