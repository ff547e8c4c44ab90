// The chart process (chartProcess.ts): reads a DigestChart as JSON on stdin, writes the PNG to stdout.
// Its argument is the scale. Any failure goes to stderr with a non-zero exit.
import { renderDigestChart } from "./chartImage.js";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const png = await renderDigestChart(
  JSON.parse(Buffer.concat(chunks).toString("utf8")),
  Number(process.argv[2] ?? 1),
);
process.stdout.write(png);
