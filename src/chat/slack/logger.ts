import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../logger.js";

/** Bolt and the Web API client log through Escalator's pino logger (and so through its redaction). */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: "slack" });
  let level = LogLevel.INFO;
  const write =
    (method: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) =>
      child[method](messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" "));
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
