import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { maskSecrets, slackLogger } from "../../../src/chat/slack/logger.js";

describe("what the Slack SDK logs", () => {
  it("never carries a token or a client secret", () => {
    const body = 'http request body: {"client_id":"123.456","client_secret":"s3cr3tValue","code":"abc-123"}';
    expect(maskSecrets(body)).toBe(
      'http request body: {"client_id":"123.456","client_secret":"[redacted]","code":"[redacted]"}',
    );
    expect(maskSecrets("token=xoxb-111-222-abcDEF&channel=C1")).toBe("token=[redacted]&channel=C1");
    expect(maskSecrets("using xoxb-111-222-abcDEF and xapp-1-A0-xyz")).toBe(
      "using xox…[redacted] and xapp-…[redacted]",
    );
  });

  it("writes the SDK's lines at the levels the logger has on, masked", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()).msg);
        done();
      },
    });
    const log = slackLogger(pino({ level: "info" }, sink));
    log.debug("http request body:", { token: "xoxb-1-2-abc", channel: "C1" });
    log.info("token=xoxb-1-2-abc sent");
    expect(lines).toEqual(["token=[redacted] sent"]);
  });
});
