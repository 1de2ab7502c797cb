/** What prompts.deletionImpact reports: what goes with a prompt when it is deleted. */
export interface PromptDeletionImpact {
  name: string;
  versions: number;
  executions: number;
  deployments: number;
  deploymentNames: string[];
}

const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n.toLocaleString("en")} ${many}`);

/**
 * The delete confirmation's sentence. Without counts yet (loading, or the query failed) it says
 * what kinds of things go. With deployments (Sigil's labels, the names programs run the prompt by)
 * it names them: an admin may delete them with the prompt, anyone else learns who can.
 */
export function deletionSummary(impact: PromptDeletionImpact | undefined, options: { canDeleteDeployments: boolean }): string {
  if (!impact) return "This deletes the prompt with all its versions and executions. It cannot be undone.";
  const versions = impact.versions === 1 ? "its only version" : `its ${count(impact.versions, "version", "versions")}`;
  if (impact.deployments > 0) {
    const names = impact.deploymentNames.map((name) => `“${name}”`).join(", ");
    const more = impact.deployments > impact.deploymentNames.length ? " and more" : "";
    const them = impact.deployments === 1 ? "it" : "them";
    const used =
      `“${impact.name}” is used by ${count(impact.deployments, "deployment", "deployments")} (${names}${more}), ` +
      `the label${impact.deployments === 1 ? "" : "s"} programs run it by.`;
    if (!options.canDeleteDeployments) return `${used} Only an admin can delete the prompt together with ${them}; ask an admin of this workspace.`;
    const executions = impact.executions === 0 ? "" : ` and ${count(impact.executions, "execution", "executions")}`;
    return `${used} Deleting the prompt deletes ${them} too, with ${versions}${executions}; runs by ${impact.deployments === 1 ? "that name" : "those names"} stop working. It cannot be undone.`;
  }
  if (impact.executions === 0) return `This deletes the prompt and ${versions} (it has no executions). It cannot be undone.`;
  const executions = count(impact.executions, "execution", "executions");
  return `This deletes the prompt, ${versions} and ${executions} (they still count toward this month's execution quota). It cannot be undone.`;
}
