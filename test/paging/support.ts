import { DateTime } from "luxon";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { OncallDirectory } from "../../src/paging/directory.js";
import { businessHoursOf } from "../../src/paging/scheduleDir.js";
import { loadPolicyFile } from "../../src/policy/index.js";

export const EASTERN = "America/New_York";
export const WES = "wes-after-hours";

/** The WES help desk's real business calendar (08:00–17:00 Eastern, US holidays), from the policy file. */
export const wesBusinessHours = businessHoursOf(loadPolicyFile("policies/wes.yaml").calendar);

/** A wall-clock instant in Eastern time, as the tests talk about WES. */
export const eastern = (iso: string) => DateTime.fromISO(iso, { zone: EASTERN });

export function openDirectory(prisma?: PrismaClient): Promise<OncallDirectory> {
  return OncallDirectory.open({
    dir: "policies/oncall",
    businessHours: wesBusinessHours,
    ...(prisma ? { prisma } : {}),
  });
}
