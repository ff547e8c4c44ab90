import type { ConversationStore } from "./conversations.js";
import type { NameOf } from "./render/text.js";

export interface PeopleNames {
  nameOf: NameOf;
  /** Teams user ids (29:…) of the agents and the requester, for a card's refresh list. */
  refreshUserIds: string[];
}

/**
 * Names for mentions and the card's refresh list, from the personal chats on record (AAD object id → name
 * and Teams user id). Someone not on record is still mentioned (Teams accepts the AAD id), as "someone".
 */
export async function peopleNames(
  conversations: ConversationStore,
  aadObjectIds: string[],
  requesterId: string | null,
): Promise<PeopleNames> {
  const known = await conversations.people(aadObjectIds);
  const refreshUserIds = [...known.entries()]
    .filter(([id]) => id !== requesterId)
    .map(([, p]) => p.userId)
    .filter((id): id is string => Boolean(id));
  const requester = requesterId ? known.get(requesterId)?.userId : undefined;
  // The requester first: the list is cut at 60, and the customer must see their own view.
  if (requester) refreshUserIds.unshift(requester);
  return {
    nameOf: (id) => known.get(id)?.name ?? "someone",
    refreshUserIds: [...new Set(refreshUserIds)],
  };
}
