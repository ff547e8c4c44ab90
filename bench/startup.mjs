// Time from `npm start` to the first successful GET /healthz, then stops the bot (SIGTERM) and waits for it.
// Usage: DATA_DIR=/tmp/warm node bench/startup.mjs        (embedded PGlite; run once first to warm it)
//        DATABASE_URL=postgres://… node bench/startup.mjs (PostgreSQL)
// Prints one line, "healthz after N ms"; time several runs of the whole command with /usr/bin/time or hyperfine.
import { spawn } from "node:child_process";

const port = process.env.PORT ?? "3917";
const started = performance.now();
const bot = spawn("npm", ["start", "--silent"], {
  env: { ESCALATOR_LOCAL: "1", LOG_LEVEL: "warn", ...process.env, PORT: port },
  stdio: ["ignore", "ignore", "inherit"],
});
const exited = new Promise((resolve) => bot.once("exit", resolve));
let healthy = false;
while (!healthy && bot.exitCode === null) {
  healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (!healthy) await new Promise((resolve) => setTimeout(resolve, 20));
}
const elapsed = performance.now() - started;
bot.kill("SIGTERM");
await exited;
if (!healthy) {
  process.stderr.write("the bot exited before /healthz answered\n");
  process.exit(1);
}
process.stdout.write(`healthz after ${Math.round(elapsed)} ms\n`);
