import type { Command } from "commander";
import { openMigratedStore, type Store, storeLocation } from "../../store/db.js";
import { applyMigrations, type MigrationReport } from "../../store/migrate.js";
import { loadConfigOrExit } from "../config.js";
import { orRunningBot } from "../store.js";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations (the service also does this at start)")
    .action(async () => {
      const config = loadConfigOrExit();
      if (!config) return;
      const where = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
      await orRunningBot({ command: "db migrate" }, async () => {
        const { store, migrations } = await openMigratedStore(storeLocation(config));
        await store.close();
        return { ok: true, output: migrationText(where, migrations) };
      });
    });
}

/** Applies pending migrations on an open store (the running bot does this for `db migrate`). */
export async function migrateOpenStore(store: Store, where: string): Promise<string> {
  return migrationText(where, await applyMigrations(store.sql));
}

function migrationText(where: string, migrations: MigrationReport): string {
  const lines =
    migrations.applied.length === 0
      ? [`${where}: up to date (${migrations.alreadyApplied} migrations applied).`]
      : [`${where}: applied ${migrations.applied.join(", ")}.`];
  for (const name of migrations.modified) lines.push(`warning: ${name} was edited after it was applied.`);
  return `${lines.join("\n")}\n`;
}
