import type { Policy } from "../policy/types.js";
import type { Tx } from "../store/outbox.js";

/**
 * `/ticket search …` for agents, over open tickets and those resolved or closed in the last 30 days.
 * Words (summary, description, customer id) go to PostgreSQL full-text search on the GIN index of migration
 * 20261130160000 (rebuilt by 20261201005000); `#channel`, a severity, `customer:ID` and `breached` narrow the result.
 */
export interface TicketQuery {
  words: string;
  channelId?: string;
  severity?: string;
  customerId?: string;
  /** `@person`: tickets they asked for or hold. */
  personId?: string;
  breached: boolean;
}

const RECENT_DAYS = 30;

/**
 * Reads what an agent typed; pure. `<#C123|support>` is how Slack sends a channel, `<@U123|ann>` a person
 * (Teams' mentions arrive as `<@id>` too); `#support` and `@ann` elsewhere. Entities are the adapter's to
 * decode: the words here are plain text, as stored.
 */
export function parseTicketQuery(text: string, policy: Policy): TicketQuery {
  const query: TicketQuery = { words: "", breached: false };
  const words: string[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase();
    const slackChannel = /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/i.exec(token);
    const mention = /^<@([^|>]+)(?:\|[^>]*)?>$/.exec(token) ?? /^@([^\s@<>]+)$/.exec(token);
    const severity = policy.severities.find((s) => s.key === lower || s.label.toLowerCase() === lower);
    if (slackChannel) query.channelId = slackChannel[1]!;
    else if (mention) query.personId = mention[1]!;
    else if (token.startsWith("#") && token.length > 1) query.channelId = token.slice(1);
    else if (lower.startsWith("customer:") && token.length > 9) query.customerId = token.slice(9);
    else if (lower === "breached") query.breached = true;
    else if (severity) query.severity = severity.key;
    else words.push(token);
  }
  query.words = words.join(" ");
  return query;
}

/** Every word as a prefix, all required: "print acme" finds "Printers at Acme". Only letters and digits. */
export function prefixQuery(words: string): string {
  const tokens = words.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.map((t) => `${t}:*`).join(" & ");
}

/** The ids of matching tickets, best match first (then newest), at most `limit`. */
export async function searchTicketIds(
  tx: Tx,
  workspaceId: string,
  query: TicketQuery,
  now: Date,
  limit: number,
): Promise<string[]> {
  const params: unknown[] = [workspaceId, new Date(now.getTime() - RECENT_DAYS * 86_400_000), limit];
  const where = [
    `"workspaceId" = $1`,
    `(status IN ('open','responded','waiting') OR coalesce("closedAt", "resolvedAt") >= $2)`,
  ];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace("?", `$${params.length}`));
  };
  // The same expression as the index, so the planner can use it.
  // Migration 20261201005000: `<` and `>` read as spaces, or the parser takes `<prod>` for a tag and drops it.
  const document = `to_tsvector('simple'::regconfig, translate("summary" || ' ' || "description" || ' ' || coalesce("customerId", ''), '<>', '  '))`;
  let rank = "0::real";
  const prefixes = prefixQuery(query.words);
  if (prefixes) {
    params.push(prefixes);
    const q = `to_tsquery('simple'::regconfig, $${params.length})`;
    where.push(`${document} @@ ${q}`);
    rank = `ts_rank(${document}, ${q})`;
  }
  if (query.channelId) add(`"homeChannelId" = ?`, query.channelId);
  if (query.severity) add(`severity = ?`, query.severity);
  if (query.customerId) add(`"customerId" = ?`, query.customerId);
  if (query.personId) add(`? IN ("requesterId", "assigneeId")`, query.personId);
  if (query.breached) where.push(`status IN ('open','responded','waiting')`);
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text FROM "Ticket" WHERE ${where.join(" AND ")} ORDER BY ${rank} DESC, number DESC LIMIT $3`,
    ...params,
  );
  return rows.map((r) => r.id);
}
