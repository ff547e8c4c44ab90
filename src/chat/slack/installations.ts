import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { PrismaClient } from "../../generated/prisma/client.js";
import { PermanentSendError } from "../port.js";
import type { WebClients } from "./client.js";
import { installationKey, keyOfWorkspace } from "./workspace.js";

type InstallationRow = NonNullable<Awaited<ReturnType<PrismaClient["slackInstallation"]["findUnique"]>>>;

/** No installation serves the workspace (and no SLACK_BOT_TOKEN): permanent until someone installs. */
export class NotInstalledError extends Error {
  override name = "NotInstalledError";
}

/** A workspace's bot credentials, from its installation or from SLACK_BOT_TOKEN. */
export interface BotCredentials {
  token: string;
  botUserId?: string | undefined;
  botId?: string | undefined;
  teamId?: string | undefined;
}

/**
 * Installations in the database (Bolt's InstallationStore), one row per workspace (org-wide installs are
 * refused). A workspace without a row falls back to the single-workspace SLACK_BOT_TOKEN, whose identity
 * `auth.test` gives once, or else to the only installation there is (a Slack Connect customer's team).
 */
export class PrismaInstallationStore implements InstallationStore {
  private fallbackIdentity?: Promise<BotCredentials>;
  /**
   * Rows read in the last 30 s: every request is authorized before it is acknowledged, and every send needs
   * a token, so neither waits for the database (other replicas see a new or removed install within 30 s).
   */
  private readonly recent = new Map<string, { row: Promise<InstallationRow | null>; at: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clients: WebClients,
    private readonly fallbackToken?: string,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const ref = {
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    };
    if (ref.isEnterpriseInstall)
      throw new Error(
        "Escalator does not support org-wide (Enterprise Grid) installs: install it in each workspace instead",
      );
    const key = installationKey(ref);
    if (!key) throw new Error("an installation without a team id cannot be stored");
    const data = {
      teamId: ref.teamId ?? null,
      enterpriseId: ref.enterpriseId ?? null,
      isEnterpriseInstall: Boolean(ref.isEnterpriseInstall),
      botUserId: installation.bot?.userId ?? null,
      installation: installation as object,
    };
    await this.prisma.slackInstallation.upsert({ where: { key }, create: { key, ...data }, update: data });
    this.recent.delete(key);
  }

  private row(key: string): Promise<InstallationRow | null> {
    const cached = this.recent.get(key);
    if (cached && Date.now() - cached.at < 30_000) return cached.row;
    const row = this.prisma.slackInstallation.findUnique({ where: { key } });
    if (this.recent.size > 10_000) this.recent.clear();
    this.recent.set(key, { row, at: Date.now() });
    row.catch(() => this.recent.delete(key));
    return row;
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = installationKey(query);
    const row = key ? await this.row(key) : null;
    if (row) return row.installation as unknown as Installation;
    const fallback = await this.fallback();
    if (!fallback) return this.onlyInstallation(key);
    return {
      team: { id: fallback.teamId ?? query.teamId ?? "" },
      enterprise: undefined,
      user: { id: fallback.botUserId ?? "", token: undefined, scopes: undefined },
      bot: {
        token: fallback.token,
        id: fallback.botId ?? "",
        userId: fallback.botUserId ?? "",
        scopes: [],
      },
    } as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    if (key) await this.prisma.slackInstallation.deleteMany({ where: { key } });
    if (key) this.recent.delete(key);
  }

  /**
   * A request from a team without an installation (a customer in a Slack Connect channel) is served by the
   * one workspace that installed Escalator, when there is exactly one: its tickets are that workspace's.
   */
  private async onlyInstallation(key: string | undefined): Promise<Installation> {
    const rows = await this.prisma.slackInstallation.findMany({ take: 2 });
    if (rows.length === 1) return rows[0]!.installation as unknown as Installation;
    throw new NotInstalledError(`Escalator is not installed in Slack workspace ${key ?? "(unknown)"}`);
  }

  /** Credentials for sending into a workspace; a missing installation is permanent until someone installs. */
  async credentialsFor(workspaceId: string): Promise<BotCredentials> {
    const key = keyOfWorkspace(workspaceId);
    const row = key ? await this.row(key) : null;
    const bot = (row?.installation as { bot?: { token?: string; userId?: string; id?: string } } | undefined)
      ?.bot;
    if (bot?.token)
      return { token: bot.token, botUserId: bot.userId, botId: bot.id, teamId: row?.teamId ?? undefined };
    const fallback = await this.fallback();
    if (fallback) return fallback;
    throw new PermanentSendError(`Escalator is not installed in Slack workspace ${workspaceId}`);
  }

  /** The SLACK_BOT_TOKEN's identity, asked once (`auth.test`); a failed ask is retried next time. */
  private fallback(): Promise<BotCredentials | undefined> {
    const token = this.fallbackToken;
    if (!token) return Promise.resolve(undefined);
    this.fallbackIdentity ??= this.clients
      .for(token)
      .auth.test()
      .then((r) => ({ token, botUserId: r.user_id, botId: r.bot_id, teamId: r.team_id }))
      .catch((error: unknown) => {
        this.fallbackIdentity = undefined;
        throw error;
      });
    return this.fallbackIdentity;
  }
}
