import { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { slackLogger } from "./logger.js";
import { keepAliveFetch } from "./transport.js";

export type WebClient = InstanceType<typeof webApi.WebClient>;
export type WebClientOptions = NonNullable<ConstructorParameters<typeof webApi.WebClient>[1]>;

/**
 * One set of Web API client options for the port and the handlers. No retries inside the client: a send
 * that fails goes back to the outbox, which retries with backoff (and a user can click again). Rate-limited
 * calls are rejected instead of waited out, because the client's own wait pauses every call it makes. Calls
 * go over keep-alive sockets (transport.ts), which also bound each call to 10 s.
 */
export function webClientOptions(apiUrl: string | undefined, logger: Logger): WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/` } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    // The transport's timeout, not the client's: the client's makes an AbortSignal per call.
    fetch: keepAliveFetch(10_000),
    logger: slackLogger(logger),
  };
}

/** Clients per token, so each workspace's calls share one request queue. */
export class WebClients {
  private readonly clients = new Map<string, WebClient>();
  constructor(readonly options: WebClientOptions) {}

  for(token: string): WebClient {
    let client = this.clients.get(token);
    if (!client) {
      client = new webApi.WebClient(token, this.options);
      this.clients.set(token, client);
    }
    return client;
  }
}
