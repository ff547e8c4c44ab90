import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  ConfigurationServiceClientCredentialFactory,
} from "botbuilder";
import { AuthenticationConstants, type ServiceClientCredentialsFactory } from "botframework-connector";
import type { DateTime } from "luxon";
import type { Config } from "../../config.js";
import type { Logger } from "../../logger.js";
import { coerceError } from "../../logger.js";
import type { Policy } from "../../policy/types.js";
import type { Route } from "../../server/http.js";
import type { Store } from "../../store/db.js";
import type { TicketService } from "../../tickets/service.js";
import { customersFileOf, loadCustomers } from "../customers.js";
import type { ChatPort, Destination } from "../port.js";
import { type GroupMembers, graphGroupMembers, TeamsAgentDirectory } from "./agents.js";
import { EscalatorTeamsBot } from "./bot.js";
import { TeamsConnector } from "./connector.js";
import { ConversationStore } from "./conversations.js";
import { messagesRoute } from "./endpoint.js";
import type { TeamsHandlerDeps, TeamsOncallCommand } from "./handlerDeps.js";
import { TeamsPort } from "./port.js";

export interface TeamsAppDeps {
  config: Config;
  store: Store;
  tickets: TicketService;
  policy: Policy;
  logger: Logger;
  now: () => DateTime;
  oncallCommand?: TeamsOncallCommand;
  /** Test seams: where the channel's OpenID metadata is, the issuer it signs as, outbound credentials. */
  auth?: {
    openIdMetadataUrl?: string;
    tokenIssuer?: string;
    credentialsFactory?: ServiceClientCredentialsFactory;
  };
  groupMembers?: GroupMembers;
}

export interface TeamsApp {
  port: ChatPort;
  /** POST /api/messages on the app's HTTP server. */
  routes: Route[];
  adminDestination?: Destination;
}

const idList = (value: string | undefined) =>
  (value ?? "")
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * The Teams adapter (botbuilder 4.23, archived upstream): every Teams-specific line lives in this folder,
 * behind the chat port, so a move to @microsoft/agents-hosting (same Activity model) stays here.
 */
export function createTeamsApp(deps: TeamsAppDeps): TeamsApp {
  const { config, logger } = deps;
  const appId = config.MICROSOFT_APP_ID ?? "";
  const local = config.ESCALATOR_LOCAL;
  if (!appId) throw new Error("MICROSOFT_APP_ID is required for Teams");
  const options = authOptions(config, deps.auth);
  const credentials =
    deps.auth?.credentialsFactory ??
    (local ? undefined : new ConfigurationServiceClientCredentialFactory(options));
  // Local mode only: no app id for botbuilder means no token checks inbound and none sent outbound.
  const authentication = new ConfigurationBotFrameworkAuthentication(local ? {} : options, credentials);
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: coerceError(error), activity: context.activity.type }, "teams turn failed");
  };
  if (local) logger.warn("ESCALATOR_LOCAL: Teams activities are NOT authenticated (Agents Playground only)");

  const conversations = new ConversationStore(deps.store.prisma);
  const groupMembers =
    deps.groupMembers ??
    (config.TEAMS_AGENT_GROUP_ID && credentials
      ? graphGroupMembers(graphToken(credentials, config))
      : undefined);
  const agents = new TeamsAgentDirectory(
    new Set(idList(config.TEAMS_AGENT_USER_IDS)),
    config.TEAMS_AGENT_GROUP_ID,
    groupMembers,
    logger,
  );
  if (!agents.configured)
    logger.warn(
      "no Teams agents configured (TEAMS_AGENT_USER_IDS / TEAMS_AGENT_GROUP_ID): everyone is a customer",
    );
  deps.tickets.agents.register("teams", (_workspaceId, userId) => agents.isAgent(userId));
  const handlerDeps: TeamsHandlerDeps = {
    prisma: deps.store.prisma,
    tickets: deps.tickets,
    policy: deps.policy,
    agents,
    conversations,
    logger,
    now: deps.now,
    oncallCommand: deps.oncallCommand,
    customers: loadCustomers(customersFileOf(config), deps.policy),
    triageChannel: config.TRIAGE_CHANNEL,
  };
  const bot = new EscalatorTeamsBot(handlerDeps, conversations);
  const port = new TeamsPort({
    prisma: deps.store.prisma,
    conversations,
    connector: new TeamsConnector(adapter, local ? "" : appId),
    policy: deps.policy,
    channelMap: channelMap(config.TEAMS_CHANNEL_MAP),
    agentIds: () => agents.listed(),
    now: deps.now,
    logger,
  });
  const tenants = idList(config.TEAMS_ALLOWED_TENANTS ?? config.MICROSOFT_APP_TENANT_ID);
  const admin = config.TEAMS_ADMIN_CHANNEL;
  return {
    port,
    routes: [
      messagesRoute({
        adapter,
        run: (context) => bot.run(context),
        allowedTenants: tenants.length ? new Set(tenants) : undefined,
        logger,
      }),
    ],
    ...(admin ? { adminDestination: adminDestination(admin, tenants[0]) } : {}),
  };
}

function authOptions(
  config: Config,
  auth: TeamsAppDeps["auth"],
): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    MicrosoftAppId: config.MICROSOFT_APP_ID,
    MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
    // botbuilder spells the managed identity type "UserAssignedMsi" (it compares without case).
    MicrosoftAppType: config.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
    // Setting one endpoint makes botbuilder expect them all: the public cloud's, but for the one given.
    ...(auth?.openIdMetadataUrl
      ? {
          ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
          ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
          ToBotFromChannelTokenIssuer:
            auth.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
          OAuthUrl: AuthenticationConstants.OAuthUrl,
          ToBotFromChannelOpenIdMetadataUrl: auth.openIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
          CallerId: "urn:botframework:azure",
        }
      : {}),
  };
}

/** A Microsoft Graph token with the bot's own identity (needs GroupMember.Read.All, application). */
function graphToken(credentials: ServiceClientCredentialsFactory, config: Config): () => Promise<string> {
  return async () => {
    const login = `https://login.microsoftonline.com/${config.MICROSOFT_APP_TENANT_ID ?? "botframework.com"}`;
    const creds = (await credentials.createCredentials(
      config.MICROSOFT_APP_ID ?? "",
      "https://graph.microsoft.com",
      login,
      true,
    )) as { getToken?: () => Promise<string> };
    if (!creds.getToken) throw new Error("these Teams credentials cannot get a Microsoft Graph token");
    return creds.getToken();
  };
}

/** TEAMS_CHANNEL_MAP: "wes-help-desk=19:abc@thread.tacv2,#support=19:def@thread.tacv2". */
export function channelMap(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (value ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at < 0) continue;
    const name = pair.slice(0, at).trim().replace(/^#/, "").toLowerCase();
    const id = pair.slice(at + 1).trim();
    if (name && id) map.set(name, id);
  }
  return map;
}

function adminDestination(channel: string, tenant: string | undefined): Destination {
  const workspaceId = `teams:${tenant ?? "local"}`;
  return channel.startsWith("19:")
    ? { platform: "teams", workspaceId, channelId: channel }
    : { platform: "teams", workspaceId, channelName: channel };
}
