import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Policy } from "../policy/types.js";
import { formatPath, parseLocatedYaml } from "../yaml/locate.js";

const customersFile = z.object({
  customers: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().optional(),
      plan: z.string().min(1),
      /** Slack workspace (team) ids whose members are this customer (their side of a Slack Connect channel). */
      workspaces: z.array(z.string()).default([]),
      /** Channel ids on either platform (a Slack Connect channel, a Teams channel `19:…@thread.tacv2`). */
      channels: z.array(z.string()).default([]),
      /** Slack user ids or Teams AAD object ids of the customer's people (e.g. guests in the vendor's workspace). */
      users: z.array(z.string()).default([]),
      /** Teams teams (`19:…@thread.tacv2`, the team's General channel id) whose channels are this customer's. */
      teams: z.array(z.string()).default([]),
      /** Teams tenants (Entra directory ids) whose people are this customer. */
      tenants: z.array(z.string()).default([]),
      /** The support team's channel (id or name) for this customer's tickets; default TRIAGE_CHANNEL. */
      triage: z.string().min(1).optional(),
    }),
  ),
});

export interface Customer {
  id: string;
  plan: string;
  triage?: string | undefined;
}

/** Which customer (and so which support plan) a ticket opened in a workspace or channel belongs to. */
export class CustomerDirectory {
  constructor(
    private readonly byChannel = new Map<string, Customer>(),
    private readonly byWorkspace = new Map<string, Customer>(),
    private readonly byUser = new Map<string, Customer>(),
  ) {}

  /**
   * The customers a person belongs to: named in the file, or a member of a workspace the file gives the
   * customer (their own team, as in a Slack Connect channel). A channel does not name its members.
   */
  customersOf(userId: string, userTeam: string | undefined): string[] {
    const ids = [this.byUser.get(userId)?.id, userTeam ? this.byWorkspace.get(userTeam)?.id : undefined];
    return [...new Set(ids.filter((id): id is string => Boolean(id)))];
  }

  /** A channel mapping wins over its workspace's: a shared channel names the customer precisely. */
  find(workspaceKey: string | undefined, channelId: string | undefined): Customer | undefined {
    return (
      (channelId ? this.byChannel.get(channelId) : undefined) ??
      (workspaceKey ? this.byWorkspace.get(workspaceKey) : undefined)
    );
  }

  /** The same for wider groups in order, narrowest first (Teams: channel, then team, then tenant). */
  findFirst(channelId: string | undefined, groups: (string | undefined)[]): Customer | undefined {
    return groups.reduce<Customer | undefined>(
      (found, group) => found ?? this.find(group, undefined),
      this.find(undefined, channelId),
    );
  }
}

/** CUSTOMERS_FILE (or its older name SLACK_CUSTOMERS_FILE): one file for Slack and Teams. */
export const customersFileOf = (config: {
  CUSTOMERS_FILE?: string | undefined;
  SLACK_CUSTOMERS_FILE?: string | undefined;
}) => config.CUSTOMERS_FILE ?? config.SLACK_CUSTOMERS_FILE;

/**
 * Reads the customers file with the line-numbered YAML loader: every problem is one line naming the file,
 * the line and the path (`customers.yaml:7 customers[1].plan: must be one of …`), all of them at once.
 */
export function loadCustomers(path: string | undefined, policy: Policy): CustomerDirectory {
  if (!path) return new CustomerDirectory();
  const yaml = parseLocatedYaml(readFileSync(path, "utf8"));
  const problem = (at: readonly PropertyKey[], message: string) =>
    `${path}:${yaml.lineOf(at)} ${formatPath(at)}: ${message}`;
  if (yaml.syntaxErrors.length)
    throw new CustomersFileError(yaml.syntaxErrors.map((e) => `${path}:${e.line} ${e.message}`));
  const parsed = customersFile.safeParse(yaml.value ?? {});
  if (!parsed.success)
    throw new CustomersFileError(parsed.error.issues.map((i) => problem(i.path, i.message)));
  const unknownPlans = planProblems(parsed.data, policy, problem);
  if (unknownPlans.length) throw new CustomersFileError(unknownPlans);
  const byChannel = new Map<string, Customer>();
  const byWorkspace = new Map<string, Customer>();
  const byUser = new Map<string, Customer>();
  for (const c of parsed.data.customers) {
    const customer = { id: c.id, plan: c.plan, triage: c.triage };
    for (const channel of c.channels) byChannel.set(channel, customer);
    // Slack team ids (T…), Teams team ids (19:…) and tenant ids (GUIDs) never collide: one map serves.
    for (const workspace of [...c.workspaces, ...c.teams, ...c.tenants]) byWorkspace.set(workspace, customer);
    for (const user of c.users) byUser.set(user, customer);
  }
  return new CustomerDirectory(byChannel, byWorkspace, byUser);
}

/** The customers file's problems, one line each (file:line path: problem). */
export class CustomersFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "CustomersFileError";
  }
}

function planProblems(
  file: z.infer<typeof customersFile>,
  policy: Policy,
  problem: (at: readonly PropertyKey[], message: string) => string,
): string[] {
  const plans = new Set(policy.plans.map((p) => p.key));
  return file.customers.flatMap((c, i) =>
    plans.has(c.plan)
      ? []
      : [problem(["customers", i, "plan"], `must be one of ${[...plans].join(", ")}; got “${c.plan}”`)],
  );
}
