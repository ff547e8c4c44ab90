/**
 * Slack workspaces as Escalator names them. A ticket's `workspaceId` is platform-qualified ("slack:T0123");
 * the installation row's key is the team id. Org-wide (Enterprise Grid) installs are not offered
 * (`org_deploy_enabled: false` in the manifests) and are refused if attempted; a Grid workspace installs
 * the app like any other workspace.
 */
export const DEFAULT_WORKSPACE = "slack:default";

export interface TeamRef {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

export function installationKey(ref: TeamRef): string | undefined {
  return ref.teamId || undefined;
}

export function workspaceIdOf(ref: TeamRef): string {
  const key = installationKey(ref);
  return key ? `slack:${key}` : DEFAULT_WORKSPACE;
}

/** The installation key of a workspace id, or undefined for the single-token default workspace. */
export function keyOfWorkspace(workspaceId: string): string | undefined {
  if (!workspaceId.startsWith("slack:") || workspaceId === DEFAULT_WORKSPACE) return undefined;
  return workspaceId.slice("slack:".length);
}

/** Comma- or space-separated ids from an environment variable. */
export function idList(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}
