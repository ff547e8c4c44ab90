import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

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

  it("checks chat credentials fit together without echoing them", () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: "xoxb-secret-123" });
    expect(problems).toEqual([
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN over HTTP (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: "xoxp-user-token" })).toEqual([
      "SLACK_BOT_TOKEN: must start with xoxb-",
    ]);
    expect(problemsOf({ MICROSOFT_APP_ID: "app" })).toEqual([
      "MICROSOFT_APP_PASSWORD: required with MICROSOFT_APP_ID",
    ]);
    expect(JSON.stringify(problemsOf({ SLACK_BOT_TOKEN: "xoxb-secret-123" }))).not.toContain("secret-123");
  });
});
