// The fake Slack of fakeSlack.ts in a process of its own, so that a bench's CPU figures count Escalator's
// work and not the fake's: prints its URL on the first line, then answers until it is killed; a GET of
// /count answers how many chat.* messages it has taken.
import { fakeSlack } from "./fakeSlack.js";

const slack = await fakeSlack(Number(process.argv[2] ?? 50));
process.stdout.write(`${slack.url}\n`);
process.on("SIGTERM", () => void slack.close().then(() => process.exit(0)));
