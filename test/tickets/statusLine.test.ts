import { describe, expect, it } from "vitest";
import { loadPolicyFile } from "../../src/policy/index.js";
import type { Policy } from "../../src/policy/types.js";
import { statusLine } from "../../src/tickets/statusLine.js";

const base = loadPolicyFile("policies/wes.yaml");

describe("the customer's status line in the thread", () => {
  it("says received, being worked on, waiting on you, resolved with the reopen hint (defaults)", () => {
    expect(statusLine(base, undefined, "open", 7)).toBe(
      "We received your request (#7). Someone from support will answer here.",
    );
    expect(statusLine(base, "open", "responded", 7)).toBe("Support is working on #7.");
    expect(statusLine(base, "responded", "waiting", 7)).toBe(
      "We are waiting on you: please answer in this thread so we can go on with #7.",
    );
    expect(statusLine(base, "waiting", "responded", 7)).toBe("Support is working on #7.");
    expect(statusLine(base, "waiting", "open", 7)).toBe("Support is working on #7.");
    expect(statusLine(base, "responded", "resolved", 7)).toBe(
      "#7 is resolved. If the problem comes back, reply in this thread to reopen it.",
    );
    expect(statusLine(base, "resolved", "open", 7)).toContain("We received your request (#7)");
  });

  it("says nothing when the status stays, or when a resolved ticket is closed", () => {
    expect(statusLine(base, "open", "open", 7)).toBeUndefined();
    expect(statusLine(base, "resolved", "closed", 7)).toBeUndefined();
  });

  it("uses the vendor's wording from the policy file, keeping the defaults for the rest", () => {
    const policy: Policy = {
      ...base,
      chat: {
        ...base.chat,
        statusLines: { ...base.chat.statusLines, resolved: "Case {number} closed — reply to reopen." },
      },
    };
    expect(statusLine(policy, "open", "resolved", 12)).toBe("Case 12 closed — reply to reopen.");
    expect(statusLine(policy, "open", "responded", 12)).toBe("Support is working on #12.");
  });
});
