// `npm run teams:package`: writes build/escalator-teams.zip (manifest.json, color.png, outline.png at the
// root, as Teams wants) with the ids filled in from the environment, after validating the manifest against
// the official JSON schema (shipped offline by @microsoft/app-manifest).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { zipSync } from "fflate";

const dir = new URL("../manifests/teams/", import.meta.url);

/** The manifest with its `${{NAME}}` placeholders filled; every placeholder must have a value. */
export function buildManifest(values) {
  const text = readFileSync(new URL("manifest.json", dir), "utf8").replace(/\$\{\{(\w+)\}\}/g, (_, name) => {
    const value = values[name];
    if (!value) throw new Error(`${name} is not set (the Teams manifest needs it)`);
    return value;
  });
  return JSON.parse(text);
}

/** The schema's complaints about a manifest (empty when it is valid). */
export function manifestProblems(manifest) {
  const require = createRequire(import.meta.url);
  const Ajv = require("ajv-draft-04");
  const addFormats = require("ajv-formats");
  const version = manifest.manifestVersion;
  const schema = require(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = process.env;
  const manifest = buildManifest({
    MICROSOFT_APP_ID: env.MICROSOFT_APP_ID,
    // The Teams app id may be the bot's id; set TEAMS_APP_ID to keep them apart.
    TEAMS_APP_ID: env.TEAMS_APP_ID ?? env.MICROSOFT_APP_ID,
    ESCALATOR_WEBSITE: (env.ESCALATOR_WEBSITE ?? "https://github.com/escalator").replace(/\/$/, ""),
  });
  const problems = manifestProblems(manifest);
  if (problems.length) {
    console.error(`manifests/teams/manifest.json is not valid:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  const zip = zipSync({
    "manifest.json": Buffer.from(JSON.stringify(manifest, null, 2)),
    "color.png": readFileSync(new URL("color.png", dir)),
    "outline.png": readFileSync(new URL("outline.png", dir)),
  });
  mkdirSync("build", { recursive: true });
  writeFileSync("build/escalator-teams.zip", zip);
  console.log(`wrote build/escalator-teams.zip (${zip.length} bytes) for bot ${env.MICROSOFT_APP_ID}`);
}
