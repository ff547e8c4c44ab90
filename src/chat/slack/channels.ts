import { PermanentSendError } from "../port.js";
import type { WebClient } from "./client.js";

const LIST_TTL_MS = 10 * 60_000;
/** A name missing from a list this fresh is really missing; older lists are read again first. */
const MISS_RELOAD_AFTER_MS = 60_000;

/** Parses SLACK_CHANNEL_MAP: "wetx-escalations=C0123,#support=C0456". */
export function parseChannelMap(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (value ?? "").split(",")) {
    const [name, id] = pair.split("=").map((s) => s.trim());
    if (name && id) map.set(bare(name), id);
  }
  return map;
}

const bare = (name: string) => name.replace(/^#/, "").toLowerCase();

/**
 * Policy channels by name ("#wetx-escalations") → channel ids: the configured map first, then the
 * workspace's channel list (`conversations.list`, cached per workspace for ten minutes).
 */
export class ChannelDirectory {
  private readonly lists = new Map<string, { at: number; ids: Map<string, string> }>();

  constructor(
    private readonly configured: Map<string, string>,
    private readonly clock: () => number = Date.now,
  ) {}

  async resolve(client: WebClient, workspaceId: string, name: string): Promise<string> {
    const wanted = bare(name);
    if (/^[CGD][A-Z0-9]{8,}$/.test(name.replace(/^#/, ""))) return name.replace(/^#/, "");
    const mapped = this.configured.get(wanted);
    if (mapped) return mapped;
    let list = this.lists.get(workspaceId);
    const age = list ? this.clock() - list.at : Number.POSITIVE_INFINITY;
    if (!list || age > LIST_TTL_MS || (!list.ids.has(wanted) && age > MISS_RELOAD_AFTER_MS)) {
      list = { at: this.clock(), ids: await listChannels(client) };
      this.lists.set(workspaceId, list);
    }
    const id = list.ids.get(wanted);
    if (id) return id;
    throw new PermanentSendError(
      `no Slack channel named #${wanted} is visible to the bot; invite the bot to it or map it in SLACK_CHANNEL_MAP`,
    );
  }
}

async function listChannels(client: WebClient): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await client.conversations.list({
      types: "public_channel,private_channel",
      exclude_archived: true,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const c of page.channels ?? []) if (c.name && c.id) ids.set(c.name.toLowerCase(), c.id);
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return ids;
}
