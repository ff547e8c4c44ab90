// bench/RESULTS.md: one section per benchmark script, each rewritten by its own run.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export interface Row {
  what: string;
  goal: string;
  measured: string;
  ok: boolean;
}

export const record = (what: string, goal: string, measured: string, ok: boolean): Row => ({
  what,
  goal,
  measured,
  ok,
});

export function writeResults(
  section: string,
  rows: Row[],
  machine: { cpus: number; model: string; memGb: number; load: number[]; speedMs?: number },
  notes: string[] = [],
): void {
  const path = new URL("./RESULTS.md", import.meta.url);
  const header =
    "# Benchmark results\n\nWritten by `npm run bench`; each section is replaced by its script's latest run.\n";
  const text = existsSync(path) ? readFileSync(path, "utf8") : header;
  const body = [
    `<!-- ${section} -->`,
    `## ${section} — ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Machine: ${machine.cpus} × ${machine.model}, ${machine.memGb.toFixed(0)} GB; load average at the end ` +
      `${machine.load.map((l) => l.toFixed(1)).join(" / ")} (shared with other work: numbers are noisy)` +
      (machine.speedMs === undefined
        ? "."
        : `; speed probe ${machine.speedMs} ms CPU (bench/harness.ts speedProbe: lower is faster).`),
    "",
    "| what | goal | measured | |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.what} | ${r.goal} | ${r.measured} | ${r.ok ? "met" : "**missed**"} |`),
    ...(notes.length > 0 ? ["", ...notes] : []),
    `<!-- /${section} -->`,
  ].join("\n");
  const pattern = new RegExp(`<!-- ${section} -->[\\s\\S]*?<!-- /${section} -->`);
  writeFileSync(path, pattern.test(text) ? text.replace(pattern, body) : `${text}\n${body}\n`);
}
