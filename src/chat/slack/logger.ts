import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../logger.js";

/**
 * Secrets inside the text the Slack SDK logs (request bodies at debug level): pino redacts fields, not the
 * inside of a string, so tokens and client secrets are masked here.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(/xox[abpre]-[A-Za-z0-9-]+/g, "xox…[redacted]")
    .replace(/xapp-[A-Za-z0-9-]+/g, "xapp-…[redacted]")
    .replace(/(client_secret|code|token|refresh_token)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/g, "$1$2[redacted]");
}

/** Bolt and the Web API client log through Escalator's pino logger (and so through its redaction). */
export function slackLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: "slack" });
  let level = LogLevel.INFO;
  // The Web API client logs each call's body and answer at debug level: masked only when it is written.
  const write =
    (method: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) => {
      if (!child.isLevelEnabled(method)) return;
      child[method](
        maskSecrets(messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ")),
      );
    };
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
