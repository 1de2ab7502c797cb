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
 * what kinds of things go; with deployments it says why the delete will be refused.
 */
export function deletionSummary(impact: PromptDeletionImpact | undefined): string {
  if (!impact) return "This deletes the prompt with all its versions and executions. It cannot be undone.";
  if (impact.deployments > 0) {
    const names = impact.deploymentNames.map((name) => `“${name}”`).join(", ");
    const more = impact.deployments > impact.deploymentNames.length ? " and more" : "";
    return (
      `“${impact.name}” is used by ${count(impact.deployments, "deployment", "deployments")} (${names}${more}). ` +
      `An admin must delete ${impact.deployments === 1 ? "it" : "them"} before the prompt can be deleted.`
    );
  }
  const versions = impact.versions === 1 ? "its only version" : `its ${count(impact.versions, "version", "versions")}`;
  if (impact.executions === 0) return `This deletes the prompt and ${versions} (it has no executions). It cannot be undone.`;
  const executions = count(impact.executions, "execution", "executions");
  return `This deletes the prompt, ${versions} and ${executions} (they still count toward this month's execution quota). It cannot be undone.`;
}
