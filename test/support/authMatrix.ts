/**
 * Who may do what to a ticket, written out by hand as the issue asks (not read from src/tickets/rules.ts, so
 * a change to the rule table must be made here too, on purpose). Columns are the person's relation to the
 * ticket; "y" allowed, "n" refused.
 */
const table = `
command            admin agent agentElsewhere requester customer pagedNonAgent otherCustomer
view               y     y     n              y         y        y             n
comment            y     y     n              y         y        y             n
note               y     y     n              n         n        n             n
acknowledged       y     y     n              n         n        y             n
assigned           y     y     n              n         n        n             n
severityChanged    y     y     n              n         n        n             n
waitingOnCustomer  y     y     n              n         n        n             n
resumed            y     y     n              n         n        n             n
resolved           y     y     n              n         n        n             n
closed             y     y     n              n         n        n             n
reopened           y     y     n              y         y        n             n
pageSnoozed        y     y     n              n         n        y             n
pageEscalated      y     y     n              n         n        y             n
pageReassigned     y     y     n              n         n        y             n
`;

export type RelationName =
  | "admin"
  | "agent"
  | "agentElsewhere"
  | "requester"
  | "customer"
  | "pagedNonAgent"
  | "otherCustomer";

export interface Cell {
  command: string;
  relation: RelationName;
  allowed: boolean;
}

const lines = table.trim().split("\n");
const relations = lines[0]!.split(/\s+/).slice(1) as RelationName[];

export const authCells: Cell[] = lines.slice(1).flatMap((line) => {
  const [command, ...marks] = line.split(/\s+/);
  return marks.map((mark, i) => ({ command: command!, relation: relations[i]!, allowed: mark === "y" }));
});

export const authRelations = relations;
