import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DataDirLock {
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dir} is in use by another Escalator process (pid ${pid}). ` +
        "Stop it first, or point DATA_DIR elsewhere; to run several replicas, use PostgreSQL (DATABASE_URL).",
    );
    this.name = "DataDirInUseError";
  }
}

/**
 * A pid file. A lock left by a process that died (kill -9) is taken over, because its pid is gone.
 */
export function acquireDataDirLock(dir: string, pid = process.pid): DataDirLock {
  const file = join(dir, "escalator.pid");
  const holder = readHolder(file);
  if (holder !== undefined && holder !== pid && isAlive(holder)) throw new DataDirInUseError(dir, holder);
  writeFileSync(file, String(pid));
  return {
    release() {
      if (readHolder(file) === pid) rmSync(file, { force: true });
    },
  };
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
