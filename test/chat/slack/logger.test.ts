import { describe, expect, it } from "vitest";
import { maskSecrets } from "../../../src/chat/slack/logger.js";

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
});
