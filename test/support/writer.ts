// A process that writes as fast as it can and prints each committed write, for the kill -9 test.
import { openMigratedStore } from "../../src/store/db.js";

const dataDir = process.argv[2]!;
const { store } = await openMigratedStore({ kind: "pglite", dataDir });
process.stdout.write("ready\n");
for (let n = 1; ; n++) {
  await store.prisma.ticketCounter.upsert({
    where: { workspaceId: "crash" },
    create: { workspaceId: "crash", lastNumber: n },
    update: { lastNumber: n },
  });
  process.stdout.write(`committed ${n}\n`);
}
