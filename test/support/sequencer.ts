import { statSync } from "node:fs";
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest (they start the real service or a database-heavy scenario), longest first, as
 * measured in a full run on two cores. The two workers take files in this order, so the long ones start at
 * once and the short ones fill in behind them, instead of a long file starting last and running alone.
 * Vitest's own order only does this once its cache has a result for every file (a fresh checkout has none,
 * and it sorts by file size). A file missing here only runs later; a name no longer found is ignored.
 */
const slowestFirst = [
  "test/server/service.test.ts",
  "test/scheduler/scheduler.test.ts",
  "test/chat/terminal/session.test.ts",
  "test/faults/rollingRestart.test.ts",
  "test/chat/slack/crash.test.ts",
  "test/faults/sendKill.test.ts",
  "test/chat/slack/authorization.test.ts",
  "test/chat/slack/digest.test.ts",
  "test/tickets/service.test.ts",
  "test/tickets/authorization.test.ts",
  "test/fuzz/parsers.test.ts",
  "test/chat/teams/auth.test.ts",
  "test/store/drivers.test.ts",
  "test/chat/slack/frontLane.test.ts",
  "test/store/migrations.test.ts",
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const rank = (file: TestSpecification): number => {
      const i = slowestFirst.indexOf(relative(root, file.moduleId).replaceAll("\\", "/"));
      return i === -1 ? slowestFirst.length : i;
    };
    const size = (file: TestSpecification): number =>
      statSync(file.moduleId, { throwIfNoEntry: false })?.size ?? 0;
    // The rest: larger files first (Vitest's order without a cache), by name when equal, so every run is alike.
    return [...files].sort(
      (a, b) => rank(a) - rank(b) || size(b) - size(a) || (a.moduleId < b.moduleId ? -1 : 1),
    );
  }
}
