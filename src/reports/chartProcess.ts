import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { DigestChart } from "./digestChart.js";

/**
 * Draws the digest's chart in a short-lived child process (chartChild.ts → chartImage.ts) and returns its
 * PNG. Loading Chart.js and the Skia library costs a process 22–42 MB of resident memory that stays until it
 * exits (a native library is never unloaded); the bot draws one chart a week, so it pays ~0.3 s of a child's
 * start instead and its own memory stays flat. Under tsx (tests, development) the child runs the sources.
 */
const self = fileURLToPath(import.meta.url);
const childFile = self.replace(/chartProcess\.(ts|js)$/, "chartChild.$1");
const childArgs = self.endsWith(".ts") ? ["--import", "tsx", childFile] : [childFile];

export function drawDigestChart(chart: DigestChart, scale = 1, timeoutMs = 60_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childArgs, String(scale)], {
      stdio: ["pipe", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    const png: Buffer[] = [];
    let errors = "";
    child.stdout.on("data", (chunk: Buffer) => png.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2000);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(png));
      const how = signal ? `was stopped (${signal})` : `exited with ${code}`;
      const lines = errors.trim().split("\n");
      const why = lines.find((line) => /^\w*Error\b/.test(line.trim())) ?? lines.at(-1) ?? "";
      reject(new Error(`the chart process ${how}: ${why.trim()}`));
    });
    child.stdin.on("error", () => {}); // a child that died early: its exit says why
    child.stdin.end(JSON.stringify(chart));
  });
}
