import type { Command } from "commander";
import { openMigratedStore, storeLocation } from "../../store/db.js";
import { loadConfigOrExit } from "../config.js";

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("database maintenance");
  db.command("migrate")
    .description("apply pending migrations (the service also does this at start)")
    .action(async () => {
      const config = loadConfigOrExit();
      if (!config) return;
      const { store, migrations } = await openMigratedStore(storeLocation(config));
      await store.close();
      const where = config.DATABASE_URL ? "PostgreSQL" : `PGlite in ${config.DATA_DIR}`;
      if (migrations.applied.length === 0) {
        process.stdout.write(`${where}: up to date (${migrations.alreadyApplied} migrations applied).\n`);
      } else {
        process.stdout.write(`${where}: applied ${migrations.applied.join(", ")}.\n`);
      }
      for (const name of migrations.modified) {
        process.stdout.write(`warning: ${name} was edited after it was applied.\n`);
      }
    });
}
