import { z } from "zod";

/** Every environment variable Escalator reads, validated once at start. Documented in .env.example. */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** An on/off variable: 1/true or 0/false; unset or empty is `unset`. */
function flag(unset: boolean) {
  return z
    .enum(["", "0", "1", "true", "false"], { error: "must be 1/true or 0/false" })
    .optional()
    .transform((v) => (v === undefined || v === "" ? unset : v === "1" || v === "true"));
}

const envSchema = z.object({
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\//,
        "must be a PostgreSQL URL (postgres://user@host:5432/db); unset it to use the embedded database",
      )
      .optional(),
  ),
  /**
   * Connections in each replica's main PostgreSQL pool (ticket commands, the scheduler, deliveries). The ack
   * path has 4 more of its own (and the front door thread 4), migrations and locks 2; size the server's
   * max_connections for every replica.
   */
  DATABASE_POOL_SIZE: optionalText
    .pipe(
      z.coerce
        .number<string | undefined>({ error: "must be a whole number of connections, such as 20" })
        .int("must be a whole number of connections, such as 20")
        .min(1, "must be at least 1 connection")
        .max(
          1000,
          "must be at most 1000 connections (PostgreSQL's max_connections bounds every replica's sum)",
        )
        .optional(),
    )
    .transform((v) => v ?? 20),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  PORT: z.coerce
    .number({ error: "must be a port number between 1 and 65535" })
    .int("must be a whole port number")
    .min(1, "must be a port number between 1 and 65535")
    .max(65535, "must be a port number between 1 and 65535")
    .default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  POLICY_FILE: z.string().trim().min(1).default("policies/wes.yaml"),
  ONCALL_DIR: z.string().trim().min(1).default("policies/oncall"),
  /** Names in policies and schedules → chat user ids, and roles → people. */
  PEOPLE_FILE: z.string().trim().min(1).default("policies/people.yaml"),
  /** Signs the iCal feed URLs; when unset, a secret is generated once and kept in the database. */
  ESCALATOR_SECRET: optionalText.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  /** Identifies this process among replicas in leases and logs. */
  REPLICA_ID: optionalText,
  /** Explicit local mode: no chat credentials needed, inbound requests are not authenticated. */
  ESCALATOR_LOCAL: flag(false),
  /**
   * The front door thread (src/server/frontDoor.ts) on PostgreSQL with Slack over HTTP: `/ticket` is
   * acknowledged in a thread of its own. 0/false runs everything in one thread.
   */
  FRONT_DOOR: flag(true),
  SLACK_BOT_TOKEN: optionalText.pipe(z.string().startsWith("xoxb-", "must start with xoxb-").optional()),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(z.string().startsWith("xapp-", "must start with xapp-").optional()),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_API_URL: optionalText.pipe(z.url("must be a URL such as https://slack.com/api/").optional()),
  /** Support agents: Slack user ids (U…) and user groups (S…) whose members are agents, comma-separated. */
  SLACK_AGENT_USER_IDS: optionalText,
  SLACK_AGENT_GROUP_IDS: optionalText,
  /** Escalator admins: Slack user ids who may act on the tickets of every workspace, comma-separated. */
  SLACK_ADMIN_USER_IDS: optionalText,
  /** Policy channel names → channel ids ("wetx-escalations=C0123,support=C0456"); others are looked up. */
  SLACK_CHANNEL_MAP: optionalText,
  /** Channel (id or #name) of the bot token's workspace where undeliverable messages are reported. */
  SLACK_ADMIN_CHANNEL: optionalText,
  /** The reaction that opens a ticket from a message (its name without colons); default "ticket" (🎫). */
  SLACK_TICKET_REACTION: optionalText,
  /** YAML file mapping Slack workspaces and channels to customers and their support plans. */
  SLACK_CUSTOMERS_FILE: optionalText,
  /** The same file under its platform-neutral name (Slack workspaces, Teams tenants, teams and channels). */
  CUSTOMERS_FILE: optionalText,
  /**
   * The support team's triage channel (a name or id on the ticket's platform) for tickets whose customer
   * names none: a live copy of each card, SLA warnings and breaches, escalations and internal notes.
   */
  TRIAGE_CHANNEL: optionalText,
  MICROSOFT_APP_ID: optionalText,
  MICROSOFT_APP_PASSWORD: optionalText,
  MICROSOFT_APP_TENANT_ID: optionalText,
  /** Azure no longer creates multi-tenant bots: SingleTenant (with MICROSOFT_APP_TENANT_ID) is the default. */
  MICROSOFT_APP_TYPE: z
    .enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"], {
      error: "must be SingleTenant, UserAssignedMSI or MultiTenant",
    })
    .default("SingleTenant"),
  /** Teams tenants (directory ids) whose activities are served, comma-separated; default the app's tenant. */
  TEAMS_ALLOWED_TENANTS: optionalText,
  /** Support agents in Teams: AAD object ids, comma-separated, and optionally one Entra group's members. */
  TEAMS_AGENT_USER_IDS: optionalText,
  TEAMS_AGENT_GROUP_ID: optionalText,
  /** Policy channel names → Teams channel ids ("wes-help-desk=19:abc@thread.tacv2,…"). */
  TEAMS_CHANNEL_MAP: optionalText,
  /** Teams channel id (19:…@thread.tacv2) or mapped name where undeliverable messages are reported. */
  TEAMS_ADMIN_CHANNEL: optionalText,
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads the configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  const problems = crossFieldProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function crossFieldProblems(c: Config): string[] {
  const problems: string[] = [];
  if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
    problems.push(
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  if (c.SLACK_CLIENT_ID && (!c.SLACK_CLIENT_SECRET || !c.SLACK_STATE_SECRET || !c.SLACK_SIGNING_SECRET)) {
    problems.push(
      "SLACK_CLIENT_ID: multi-workspace OAuth also needs SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET",
    );
  }
  problems.push(...teamsProblems(c));
  return problems;
}

const teamsVariables = [
  "MICROSOFT_APP_PASSWORD",
  "MICROSOFT_APP_TENANT_ID",
  "TEAMS_ALLOWED_TENANTS",
  "TEAMS_AGENT_USER_IDS",
  "TEAMS_AGENT_GROUP_ID",
  "TEAMS_CHANNEL_MAP",
  "TEAMS_ADMIN_CHANNEL",
] as const;

/**
 * A partial Teams setup stops start-up, one line per missing variable. Explicit local mode needs only the
 * app id (the Agents Playground sends no tokens, and nothing is sent to Azure).
 */
function teamsProblems(c: Config): string[] {
  const set = teamsVariables.filter((name) => c[name] !== undefined);
  if (!c.MICROSOFT_APP_ID)
    return set.map((name) => `MICROSOFT_APP_ID: required with ${name} (the Azure Bot's app id)`);
  if (c.ESCALATOR_LOCAL) return [];
  const problems: string[] = [];
  const type = c.MICROSOFT_APP_TYPE;
  if (type !== "MultiTenant" && !c.MICROSOFT_APP_TENANT_ID)
    problems.push(
      `MICROSOFT_APP_TENANT_ID: required with MICROSOFT_APP_TYPE=${type} (the bot's Entra tenant id)`,
    );
  if (type === "UserAssignedMSI" && c.MICROSOFT_APP_PASSWORD)
    problems.push("MICROSOFT_APP_PASSWORD: must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI");
  if (type !== "UserAssignedMSI" && !c.MICROSOFT_APP_PASSWORD)
    problems.push(
      `MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_TYPE=${type} (the bot's client secret)`,
    );
  if (type === "MultiTenant" && !c.TEAMS_ALLOWED_TENANTS)
    problems.push("TEAMS_ALLOWED_TENANTS: required with MICROSOFT_APP_TYPE=MultiTenant (the tenants served)");
  return problems;
}

export function slackConfigured(c: Config): boolean {
  return Boolean(c.SLACK_BOT_TOKEN || c.SLACK_CLIENT_ID);
}

export function teamsConfigured(c: Config): boolean {
  return Boolean(c.MICROSOFT_APP_ID);
}
