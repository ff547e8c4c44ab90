import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agent,
  customer,
  installed,
  personalMessage,
  startTeamsHarness,
  type TeamsHarness,
} from "./harness.js";

describe("Teams: oncall", () => {
  let h: TeamsHarness;
  const asked: { text: string; isAgent: boolean }[] = [];
  beforeAll(async () => {
    h = await startTeamsHarness({
      oncallCommand: async (text, _asker, _zone, _now, isAgent) => {
        asked.push({ text, isAgent });
        return isAgent ? "✅ covered" : "Only the support team can change the on-call schedule.";
      },
    });
    await h.post(installed(agent));
    await h.post(installed(customer));
  });
  afterAll(() => h.close());

  it("tells the on-call layer whether the asker is an agent, and answers with what it decides", async () => {
    await h.post(personalMessage(customer, "oncall override me until 18:00"));
    expect(asked.at(-1)).toEqual({ text: "override me until 18:00", isAgent: false });
    expect(String(h.bf.calls.at(-1)?.body.text)).toContain(
      "Only the support team can change the on-call schedule.",
    );
    await h.post(personalMessage(agent, "oncall cancel 3"));
    expect(asked.at(-1)).toEqual({ text: "cancel 3", isAgent: true });
    expect(String(h.bf.calls.at(-1)?.body.text)).toContain("✅ covered");
  });
});
