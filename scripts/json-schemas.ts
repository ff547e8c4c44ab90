/**
 * Regenerates the JSON Schemas editors use (policies/schema.json, policies/oncall/schema.json) from the
 * zod schemas the loaders validate with, so editors complete and check the files exactly as
 * `escalator policy validate` does. test/policy/jsonSchemas.test.ts fails when they are out of date.
 * Run: npx tsx scripts/json-schemas.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import { scheduleFileSchema } from "../src/oncall/scheduleSchema.js";
import { policySchema } from "../src/policy/schema.js";

const targets = [
  { file: "policies/schema.json", schema: policySchema, title: "Escalator support policy" },
  { file: "policies/oncall/schema.json", schema: scheduleFileSchema, title: "Escalator on-call schedule" },
];

/** Each schema file's path (from the project folder) and the text it should hold. */
export function jsonSchemas(): { file: string; text: string }[] {
  return targets.map(({ file, schema, title }) => ({
    file,
    text: `${JSON.stringify({ ...z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }), title }, null, 2)}\n`,
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { file, text } of jsonSchemas()) {
    const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
    writeFileSync(target, text);
    process.stdout.write(`wrote ${target}\n`);
  }
}
