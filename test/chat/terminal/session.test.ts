import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { migratedDataDir } from "../../support/paths.js";

// A newcomer's first minutes, typed into the terminal chat through stdin: the real CLI, an embedded database
// (a copy of the migrated template: a first start on an empty folder is test/server/service.test.ts's).
const bin = new URL("../../../bin/escalator.js", import.meta.url).pathname;
const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function session(
  script: string[],
  args: string[],
  http?: { port: number },
): Promise<{ code: number | null; output: string }> {
  const dataDir = migratedDataDir("escalator-terminal-");
  dataDirs.push(dataDir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, "serve", "--terminal", ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        DATA_DIR: dataDir,
        PORT: String(http?.port ?? 20000 + Math.floor(Math.random() * 20000)),
        HOST: "127.0.0.1",
      },
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
    child.stdin.end(`${script.join("\n")}\n`);
  });
}

describe("the terminal chat", () => {
  it("plays the WES after-hours story: ticket, page, acknowledgement, breach after time +2h", {
    timeout: 90_000,
  }, async () => {
    const { code, output } = await session(
      [
        "as carol customer",
        "/ticket high scanner down at dock 4",
        "as chen",
        "ack 1",
        "time +2h",
        "/ticket 1",
        "quit",
      ],
      ["--at", "2026-11-28T22:00"],
    );
    expect(code).toBe(0);
    const lines = output.split("\n");
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(output).toMatch(/^escalator: opening the embedded database in .*pglite …$/m);
    expect(lines).toContain(
      "Escalator terminal chat — policy WES Business-Hour and After-Hour Support. It is Saturday 28 November 2026, 22:00 EST. Type `help`.",
    );
    expect(output).toContain("(only you) Ticket #1 is open. Follow it in its thread.");
    expect(output).toContain(
      "[DM → @chen] 📟 PAGE: #1 Software error or malfunction · scanner down at dock 4",
    );
    expect(output).toContain("[#support › thread #1] 👍 @chen acknowledged the ticket.");
    // The breach is for the team: in the triage channel's copy of the ticket, not the customer's thread.
    expect(output).toContain(
      "[#support-triage › thread #1] 🔴 First response target missed: it was due at Sat 28 Nov 23:00 EST",
    );
    expect(output).toContain("[#support-triage] 🎫 new ticket");
    expect(output).not.toMatch(/\[#support › thread #1\] (⚠️|🔴|📣)/);
    expect(output).toContain("[#wes-help-desk] 📣 #1 escalated: response missed");
    expect(output).toContain("⏩ It is now Sunday 29 November 2026, 00:00 EST.");
    // In order: the page before the ack, the ack before the breach; the ack stopped the ladder.
    expect(at("📟 PAGE")).toBeLessThan(at("acknowledged the ticket"));
    expect(at("acknowledged the ticket")).toBeLessThan(at("target missed"));
    expect(output.match(/📟 PAGE/g)).toHaveLength(1);
    expect(output).toContain("    First response: BREACHED (was due Sat 28 Nov 23:00 EST)");
  });

  it("answers mistakes where they were typed and carries on", { timeout: 90_000 }, async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const address = blocker.address();
    const busyPort = { port: typeof address === "object" && address ? address.port : 0 };
    const { code, output } = await session(
      [
        "/ticket printer down",
        "severity 1 urgent",
        "as carol customer",
        "resolve 1 fixed",
        "ack x",
        "time +soon",
        "frobnicate",
        "/ticket 99",
        "/ticket urgent printer on fire",
        "/ticket",
        "/ticket --channel email --category training how do I print",
        "/ticket --colour red x",
        "as dave customer",
        "/ticket 2",
        "reopen 2",
        "quit",
      ],
      ["--at", "2026-11-30T10:00"],
      busyPort,
    );
    expect(code).toBe(0);
    expect(output).toContain(
      "⚠️  Severity must be one of critical (Location cannot use the system), high (Software error or malfunction), normal; got “urgent”.",
    );
    expect(output).toContain("⚠️  #1: only the support team can resolve tickets.");
    expect(output).toContain("⚠️  Usage: ack 142");
    expect(output).toContain("⚠️  Usage: time +2h");
    expect(output).toContain("⚠️  Unknown command “frobnicate”. Type `help` to see what you can do.");
    expect(output).toContain("⚠️  There is no ticket #99.");
    // A severity this policy lacks is said so, not silently turned into the default.
    expect(output).toContain("⚠️  “urgent” is not a severity of WES Business-Hour and After-Hour Support.");
    expect(output).toContain("Severities: critical (Location cannot use the system), high (Software error");
    // `/ticket` alone lists every field the form has; the flags set them.
    expect(output).toContain(
      "/ticket [--severity S] [--channel C] [--plan P] [--category K] [--customer NAME]",
    );
    expect(output).toContain("severity Normal · via email · plan standard · training");
    expect(output).toContain(
      "⚠️  Unknown field --colour; fields: --severity, --channel, --plan, --category, --customer",
    );
    // The ticket service's rule: another customer neither sees nor reopens carol's ticket.
    expect(output).toContain(
      "⚠️  #2: only its requester, their colleagues and the support team can see this ticket.",
    );
    expect(output).toContain(
      "⚠️  #2: only its requester, their colleagues and the support team can reopen this ticket.",
    );
    // The HTTP port was taken: said once, and the chat carried on.
    expect(output).toContain(`(Port ${busyPort.port} on 127.0.0.1 is in use`);
    blocker.close();
  });

  it("moves a page: snooze waits the ladder but not the SLA, escalate pages the next level, reassign pages someone else", {
    timeout: 90_000,
  }, async () => {
    const { code, output } = await session(
      [
        "as carol customer",
        "/ticket high scanner down at dock 4",
        "as chen",
        "snooze 1 1h",
        "time +30m",
        "time +31m",
        "snooze 1 2d",
        "escalate 1 needs a manager's call",
        "escalate 1 typed twice",
        "reassign 1 @vp-technology",
        "/ticket assign 1 @dana",
        "/ticket search scanner dock",
        "/ticket queue",
        "quit",
      ],
      ["--at", "2026-11-28T22:00"],
    );
    expect(code).toBe(0);
    const lines = output.split("\n");
    const pages = lines.filter((l) => l.includes("📟 PAGE"));
    // chen at 22:00; the snooze holds the 22:15 page to the IT manager; chen again at 23:00 when it ends.
    expect(pages.map((l) => l.slice(0, l.indexOf("]") + 1))).toEqual([
      "[DM → @chen]",
      "[DM → @chen]",
      "[DM → @it-manager]",
      "[DM → @vp-technology]",
    ]);
    expect(output).toContain(
      "😴 @chen snoozed the page until Sat 28 Nov 23:00 EST; the SLA clock keeps running.",
    );
    expect(output).toContain("the snooze is over and nobody acknowledged yet");
    // The SLA clock did not wait: the one-hour target broke at 23:00 as if nobody had snoozed.
    expect(output).toContain("🔴 First response target missed: it was due at Sat 28 Nov 23:00 EST");
    expect(output).toContain("⏫ @chen escalated the page to the next level now: needs a manager's call");
    expect(output).toContain("it was escalated to you now (level 2)");
    // Exactly once: escalating the same page again (typed, no button) is refused by the ticket service.
    expect(output).toContain("#1: that page was escalated already; the next level has been paged.");
    expect(output).toContain("#1: a snooze can last at most 24 hours (until Mon 30 Nov 04:01 UTC)");
    expect(output).toContain("↪️ @chen reassigned the page to @vp-technology.");
    expect(output).toContain("the page was reassigned to you");
    expect(output).toContain("Assigned #1 to @dana.");
    expect(output).toContain(
      "[#support › thread #1] ℹ️ We received your request (#1). Someone from support will answer here.",
    );
    expect(output).toContain(
      "1 ticket found:\n  #1 [Software error or malfunction] scanner down at dock 4 — open · @dana",
    );
    expect(output).toContain("Team queue, soonest breach first:\n  #1 [Software error or malfunction]");
  });
});
