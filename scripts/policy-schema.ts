/**
 * Regenerates policies/schema.json from the zod schema the loader validates with, so editors
 * complete and check policy files exactly as `escalator policy validate` does.
 * Run: npx tsx scripts/policy-schema.ts
 */
import { writeFileSync } from "node:fs";
import { z } from "zod";
import { policySchema } from "../src/policy/schema.js";

const schema = {
  ...z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any" }),
  title: "Escalator support policy",
};
const target = new URL("../policies/schema.json", import.meta.url);
writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
