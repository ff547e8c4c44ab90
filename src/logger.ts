import { type Logger, pino } from "pino";
import { requestIdMixin } from "./server/requestContext.js";

export type { Logger };

/**
 * JSON logs. Anything that may hold a credential is redacted by path, so a token passed along in an
 * object (a Slack installation, a request header, the config) never reaches the log.
 */
export const redactPaths = [
  "*.token",
  "*.botToken",
  "*.userToken",
  "*.appToken",
  "*.password",
  "*.secret",
  "*.clientSecret",
  "*.signingSecret",
  "*.installation",
  "*.authorization",
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["x-slack-signature"]',
  "*.SLACK_BOT_TOKEN",
  "*.SLACK_SIGNING_SECRET",
  "*.SLACK_APP_TOKEN",
  "*.SLACK_CLIENT_SECRET",
  "*.SLACK_STATE_SECRET",
  "*.MICROSOFT_APP_PASSWORD",
  "*.DATABASE_URL",
  "DATABASE_URL",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "escalator" },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: requestIdMixin,
      redact: { paths: redactPaths, censor: "[redacted]" },
    },
    destination,
  );
}

export { coerceError } from "./errors.js";
