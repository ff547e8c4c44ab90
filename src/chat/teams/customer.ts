import type { Activity } from "botbuilder";
import type { NewTicketInput } from "../../tickets/validate.js";
import type { TeamsHandlerDeps } from "./handlerDeps.js";
import { workspaceOfActivity } from "./handlerDeps.js";

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
}

/**
 * Where a ticket opened from this activity lives and whose it is: its card in `conversationId`, the plan and
 * triage channel of the customer the customers file gives its channel, its team or its tenant (in that
 * order), else the policy's default plan and TRIAGE_CHANNEL.
 */
export function newTicketFields(
  deps: TeamsHandlerDeps,
  activity: Activity,
  conversationId: string,
): Omit<NewTicketInput, "summary" | "severity"> {
  const data = (activity.channelData ?? {}) as TeamsChannelData;
  const tenant = data.tenant?.id ?? activity.conversation?.tenantId;
  const customer = deps.customers?.findFirst(conversationId, [data.team?.id, tenant]);
  const triage = customer?.triage ?? deps.triageChannel;
  return {
    home: { platform: "teams", workspaceId: workspaceOfActivity(activity), channelId: conversationId },
    ...(customer ? { plan: customer.plan, customerId: customer.id } : {}),
    // A ticket opened in the triage channel itself needs no copy there.
    triageChannel: triage && triage !== conversationId ? triage : null,
  };
}
