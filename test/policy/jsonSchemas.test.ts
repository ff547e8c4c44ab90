import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jsonSchemas } from "../../scripts/json-schemas.js";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("JSON Schemas for editors", () => {
  it.each(jsonSchemas())(
    "$file matches the zod schema (npx tsx scripts/json-schemas.ts)",
    ({ file, text }) => {
      expect(read(file)).toBe(text);
    },
  );

  it("the schedule schema refuses unknown keys, as the loader does", () => {
    const schema = JSON.parse(read("policies/oncall/schema.json"));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain("fallback");
  });

  it.each(["policies/oncall/wes.yaml", "policies/oncall/in8sync.yaml"])("%s points editors at it", (file) => {
    expect(read(file).split("\n")[0]).toBe("# yaml-language-server: $schema=./schema.json");
  });
});
