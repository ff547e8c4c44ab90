import { describe, expect, it } from "vitest";
import { parseTicketCommand } from "../../src/chat/ticketCommand.js";
import { loadPolicyFile } from "../../src/policy/index.js";

const guidelines = loadPolicyFile("policies/support-guidelines.yaml");
const in8sync = loadPolicyFile("policies/in8sync.yaml");

describe("/ticket arguments", () => {
  it("reads a leading severity only when the policy has it", () => {
    expect(parseTicketCommand("critical printer down", guidelines)).toEqual({
      kind: "create",
      severity: "critical",
      summary: "printer down",
    });
    expect(parseTicketCommand("Urgent  VPN is flaky", guidelines)).toEqual({
      kind: "create",
      severity: "urgent",
      summary: "VPN is flaky",
    });
    expect(parseTicketCommand("printer down", guidelines)).toEqual({
      kind: "create",
      summary: "printer down",
    });
    expect(parseTicketCommand("1 site cannot log in", in8sync)).toMatchObject({
      severity: "1",
      summary: "site cannot log in",
    });
    // A severity word alone is a summary, not an empty ticket.
    expect(parseTicketCommand("low", guidelines)).toEqual({ kind: "create", summary: "low" });
  });

  it("refuses a severity word or a near-miss the policy does not have, instead of the default", () => {
    const wes = loadPolicyFile("policies/wes.yaml");
    expect(parseTicketCommand("urgent printer on fire", wes)).toEqual({
      kind: "unknownSeverity",
      typed: "urgent",
    });
    expect(parseTicketCommand("P1 printer on fire", wes)).toEqual({ kind: "unknownSeverity", typed: "P1" });
    expect(parseTicketCommand("critcal printer on fire", wes)).toEqual({
      kind: "unknownSeverity",
      typed: "critcal",
    });
    // Ordinary first words stay in the summary.
    expect(parseTicketCommand("printer on fire", wes)).toEqual({
      kind: "create",
      summary: "printer on fire",
    });
    expect(parseTicketCommand("now the scanner fails", wes)).toMatchObject({ kind: "create" });
  });

  it("knows help, list, a ticket number, and an empty command (the form)", () => {
    expect(parseTicketCommand("", guidelines)).toEqual({ kind: "modal" });
    expect(parseTicketCommand(" help ", guidelines)).toEqual({ kind: "help" });
    expect(parseTicketCommand("list", guidelines)).toEqual({ kind: "list" });
    expect(parseTicketCommand("#142", guidelines)).toEqual({ kind: "show", number: 142 });
    expect(parseTicketCommand("142", guidelines)).toEqual({ kind: "show", number: 142 });
  });

  it("reads `digest` and `digest post`; other words after “digest” are a ticket's summary", () => {
    expect(parseTicketCommand("digest", guidelines)).toEqual({ kind: "digest" });
    expect(parseTicketCommand("Digest POST", guidelines)).toEqual({ kind: "digestPost" });
    expect(parseTicketCommand("digest emails stopped", guidelines)).toEqual({
      kind: "create",
      summary: "digest emails stopped",
    });
  });
});
