import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const templatePath = fileURLToPath(new URL("../../.tmp/pglite-template.tar", import.meta.url));

/** The same database as initdb left it, before any migration (for the tests of the migrations). */
export const emptyTemplatePath = fileURLToPath(new URL("../../.tmp/pglite-empty.tar", import.meta.url));

/** The same migrated template unpacked as an embedded database folder (DATA_DIR/pglite), made by globalSetup. */
export const templateDataDir = fileURLToPath(new URL("../../.tmp/pglite-template-dir", import.meta.url));

/**
 * A new DATA_DIR whose embedded database is a copy of the migrated template: a process started on it skips
 * initdb and the migrations (about 6 s of a child's start here), as a restart on an existing folder does.
 */
export function migratedDataDir(prefix: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(templateDataDir, join(dataDir, "pglite"), { recursive: true });
  return dataDir;
}
