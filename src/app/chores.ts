import type { DateTime } from "luxon";
import type { Destination } from "../chat/port.js";
import { pruneInboundEvents } from "../chat/slack/inbound.js";
import { warnAboutGaps } from "../paging/gapWatch.js";
import { announceHandoffs, pagedSchedules } from "../paging/handoffWatch.js";
import type { OncallDirectory } from "../paging/index.js";
import type { PeopleDirectory } from "../paging/people.js";
import type { Policy } from "../policy/types.js";
import { postWeeklyDigest } from "../reports/digest.js";
import type { Store } from "../store/db.js";

export interface ChoreDeps {
  store: Store;
  policy: Policy;
  directory: OncallDirectory;
  people: PeopleDirectory;
  /** Where gap warnings, the weekly digest and hand-offs go; without one only the housekeeping runs. */
  admin: Destination | undefined;
  now: () => DateTime;
}

/**
 * What runs before each scheduler tick: covers added by another replica are read, old inbound event ids
 * pruned, and the admin channel told about schedule gaps, the weekly digest and on-call hand-offs.
 */
export function beforeTickChores(deps: ChoreDeps): () => Promise<void> {
  const { store, policy, directory, people, admin, now } = deps;
  return async () => {
    await directory.refresh();
    await pruneInboundEvents(store.prisma, now().minus({ days: 2 }).toJSDate());
    if (!admin) return;
    await warnAboutGaps(store.prisma, directory, admin, now(), policy.zone);
    const { platform, workspaceId } = admin;
    await postWeeklyDigest(store.prisma, policy, { platform, workspaceId }, now());
    await announceHandoffs(
      store.prisma,
      directory,
      {
        channel: (channelName) => ({ platform, workspaceId, channelName }),
        mention: (person) => `<@${people.chatId(person, platform)}>`,
        zone: policy.zone,
        paged: pagedSchedules([policy], directory),
      },
      now(),
    );
  };
}
