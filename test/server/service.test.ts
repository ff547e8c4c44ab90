import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/db.js";
import { templateDataDir } from "../support/paths.js";
import { freePort, waitHealthy } from "../support/serve.js";
import { killAll, serve } from "../support/service.js";

// The service as a user runs it: the real CLI in a child process, an embedded database in a temp folder.
// Timeouts here only catch a hang: each child process opens PGlite, which takes long on a busy machine.
// The first test starts on an empty folder, as a new user does; the others on a copy of the migrated template.
const bin = new URL("../../bin/escalator.js", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "escalator-service-"));

afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  return serve({ DATA_DIR: dataDir, ...env });
}

/** Runs one operator command on the test's data folder. */
function command(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the service on the embedded database", () => {
  it("serves /healthz and /readyz, keeps data across a restart and across kill -9", async () => {
    const port = await freePort();
    const first = start({ PORT: String(port) });
    await waitHealthy(port);
    const ready = await (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    expect(ready).toEqual({ ready: true, database: "up", pendingMigrations: [] });

    // Operator commands cannot open the embedded database the bot holds: the bot answers them.
    const migrate = await command(["db", "migrate"]);
    expect(migrate).toMatchObject({ code: 0, stdout: expect.stringMatching(/up to date/) });
    expect(migrate.stderr).toMatch(/answered by the running bot/);
    const exported = await command(["tickets", "export"]);
    expect(exported).toMatchObject({ code: 0, stdout: expect.stringMatching(/^number,workspace,summary/) });

    // A second process on the same data folder is refused instead of corrupting it.
    const second = start({ PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data folder .* is in use by another Escalator process/);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // Write through the store while the service is down, then crash the next run mid-flight.
    const store = await openStore({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    await store.prisma.ticketCounter.create({ data: { workspaceId: "local", lastNumber: 41 } });
    await store.close();

    const crashed = start({ PORT: String(port) });
    await waitHealthy(port);
    crashed.child.kill("SIGKILL");
    await crashed.exited;

    const revived = start({ PORT: String(port) });
    await waitHealthy(port);
    revived.child.kill("SIGTERM");
    await revived.exited;

    const after = await openStore({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    expect(await after.prisma.ticketCounter.findUnique({ where: { workspaceId: "local" } })).toMatchObject({
      lastNumber: 41,
    });
    await after.close();
  }, 300_000);

  it("loses no committed write when killed with -9 in the middle of writing", {
    timeout: 300_000,
  }, async () => {
    const dir = join(dataDir, "crash");
    cpSync(templateDataDir, dir, { recursive: true });
    const writer = spawn(
      process.execPath,
      ["--import", "tsx", new URL("../support/writer.ts", import.meta.url).pathname, dir],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let lastCommitted = 0;
    const crashed = new Promise<void>((resolve) => writer.on("exit", () => resolve()));
    writer.stdout.on("data", (chunk: Buffer) => {
      const numbers = [...String(chunk).matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
      lastCommitted = Math.max(lastCommitted, ...numbers);
      if (lastCommitted >= 200) writer.kill("SIGKILL");
    });
    await crashed;
    expect(lastCommitted).toBeGreaterThanOrEqual(200);
    const store = await openStore({ kind: "pglite", dataDir: dir });
    const row = await store.prisma.ticketCounter.findUnique({ where: { workspaceId: "crash" } });
    // Everything reported committed is there (one more write may have landed before the kill).
    expect(row?.lastNumber).toBeGreaterThanOrEqual(lastCommitted);
    expect(row?.lastNumber).toBeLessThanOrEqual(lastCommitted + 1);
    await store.close();
  });

  it("exits at once when it cannot start (port taken), leaving nothing running", {
    timeout: 60_000,
  }, async () => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    cpSync(templateDataDir, join(dataDir, "port-taken", "pglite"), { recursive: true });
    const failed = start({ PORT: String(port), DATA_DIR: join(dataDir, "port-taken") });
    expect(await failed.exited).toBe(1);
    expect(failed.output()).toContain(
      `escalator: could not start: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
    blocker.close();
  });

  it("stops with one line per bad variable and a non-zero exit", { timeout: 60_000 }, async () => {
    const bad = start({ PORT: "abc", DATABASE_URL: "mysql://x" });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toBe(
      "escalator: invalid configuration (see .env.example)\n" +
        "  DATABASE_URL: must be a PostgreSQL URL (postgres://user@host:5432/db); unset it to use the embedded database\n" +
        "  PORT: must be a port number between 1 and 65535\n",
    );
  });
});
