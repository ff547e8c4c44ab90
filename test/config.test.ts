import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { storeLocation } from "../src/store/db.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("configuration", () => {
  it("runs on embedded defaults with nothing set", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe("./data");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ESCALATOR_LOCAL).toBe(false);
  });

  it("keeps the front door thread on unless FRONT_DOOR says 0 or false, and names a bad value", () => {
    expect(loadConfig({}).FRONT_DOOR).toBe(true);
    expect(loadConfig({ FRONT_DOOR: "0" }).FRONT_DOOR).toBe(false);
    expect(loadConfig({ FRONT_DOOR: "false" }).FRONT_DOOR).toBe(false);
    expect(loadConfig({ FRONT_DOOR: "1" }).FRONT_DOOR).toBe(true);
    expect(problemsOf({ FRONT_DOOR: "off" })).toEqual(["FRONT_DOOR: must be 1/true or 0/false"]);
  });

  it("treats an empty variable as unset, as .env files write them", () => {
    expect(loadConfig({ DATABASE_URL: "", SLACK_BOT_TOKEN: "" }).DATABASE_URL).toBeUndefined();
  });

  it("names each bad variable with what to do, one line each", () => {
    expect(problemsOf({ PORT: "abc", DATABASE_URL: "mysql://x" })).toEqual([
      "DATABASE_URL: must be a PostgreSQL URL (postgres://user@host:5432/db); unset it to use the embedded database",
      "PORT: must be a port number between 1 and 65535",
    ]);
    expect(problemsOf({ PORT: "70000" })).toEqual(["PORT: must be a port number between 1 and 65535"]);
    expect(problemsOf({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL: /);
  });

  it("sizes the PostgreSQL pool from DATABASE_POOL_SIZE (20 unless set) and refuses a bad size", () => {
    const url = "postgres://escalator@db:5432/escalator";
    expect(storeLocation(loadConfig({ DATABASE_URL: url }))).toMatchObject({ poolSize: 20 });
    expect(storeLocation(loadConfig({ DATABASE_URL: url, DATABASE_POOL_SIZE: " 40 " }))).toMatchObject({
      poolSize: 40,
    });
    expect(problemsOf({ DATABASE_POOL_SIZE: "lots" })).toEqual([
      "DATABASE_POOL_SIZE: must be a whole number of connections, such as 20",
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: "0" })).toEqual([
      "DATABASE_POOL_SIZE: must be at least 1 connection",
    ]);
    expect(problemsOf({ DATABASE_POOL_SIZE: "2.5" })[0]).toMatch(
      /^DATABASE_POOL_SIZE: must be a whole number/,
    );
  });

  it("checks chat credentials fit together without echoing them", () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: "xoxb-secret-123" });
    expect(problems).toEqual([
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxp-user-token" })).toEqual([
      "SLACK_BOT_TOKEN: must start with xoxb-",
    ]);
    expect(JSON.stringify(problemsOf({ SLACK_BOT_TOKEN: "xoxb-secret-123" }))).not.toContain("secret-123");
  });

  it("stops on a partial Teams setup with one line per missing variable", () => {
    expect(problemsOf({ MICROSOFT_APP_ID: "app" })).toEqual([
      "MICROSOFT_APP_TENANT_ID: required with MICROSOFT_APP_TYPE=SingleTenant (the bot's Entra tenant id)",
      "MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_TYPE=SingleTenant (the bot's client secret)",
    ]);
    expect(problemsOf({ MICROSOFT_APP_PASSWORD: "pw-secret", TEAMS_AGENT_USER_IDS: "a" })).toEqual([
      "MICROSOFT_APP_ID: required with MICROSOFT_APP_PASSWORD (the Azure Bot's app id)",
      "MICROSOFT_APP_ID: required with TEAMS_AGENT_USER_IDS (the Azure Bot's app id)",
    ]);
    expect(problemsOf({ MICROSOFT_APP_ID: "app", MICROSOFT_APP_TYPE: "MultiTenant" })).toEqual([
      "MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_TYPE=MultiTenant (the bot's client secret)",
      "TEAMS_ALLOWED_TENANTS: required with MICROSOFT_APP_TYPE=MultiTenant (the tenants served)",
    ]);
    expect(
      problemsOf({
        MICROSOFT_APP_ID: "app",
        MICROSOFT_APP_TYPE: "UserAssignedMSI",
        MICROSOFT_APP_PASSWORD: "pw-secret",
      }),
    ).toEqual([
      "MICROSOFT_APP_TENANT_ID: required with MICROSOFT_APP_TYPE=UserAssignedMSI (the bot's Entra tenant id)",
      "MICROSOFT_APP_PASSWORD: must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI",
    ]);
    expect(
      problemsOf({
        MICROSOFT_APP_ID: "app",
        MICROSOFT_APP_TENANT_ID: "t",
        MICROSOFT_APP_TYPE: "UserAssignedMSI",
      }),
    ).toEqual([]);
    // The Agents Playground talks to a local bot without tokens: only the app id, in explicit local mode.
    expect(problemsOf({ MICROSOFT_APP_ID: "app", ESCALATOR_LOCAL: "1" })).toEqual([]);
    expect(problemsOf({ MICROSOFT_APP_ID: "app", MICROSOFT_APP_TYPE: "Other" })).toEqual([
      "MICROSOFT_APP_TYPE: must be SingleTenant, UserAssignedMSI or MultiTenant",
    ]);
  });
});
