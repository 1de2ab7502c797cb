import type { ApiKeyScope } from "@sigil/validators";

/**
 * A first REST call for a new API key (the key dialog shows it): the simplest operation one of its
 * scopes allows, as a curl command against `apiBase` (…/api/v1, packages/api/src/rest/openapi.ts).
 * A key whose only scope has no REST route (prompts:preview) gets the tRPC call instead.
 */
const EXAMPLES: { scope: ApiKeyScope; command: (base: string, auth: string) => string }[] = [
  { scope: "prompts:read", command: (base, auth) => `curl ${auth} \\\n  ${base}/prompts` },
  { scope: "executions:read", command: (base, auth) => `curl ${auth} \\\n  ${base}/executions` },
  {
    scope: "deployments:run",
    command: (base, auth) =>
      `curl -X POST ${auth} \\\n  -H "Content-Type: application/json" -d '{"input":{"name":"Ada"}}' \\\n  ${base}/deployments/<deployment-name>/run`,
  },
  {
    scope: "executions:run",
    command: (base, auth) =>
      `curl -X POST ${auth} \\\n  -H "Content-Type: application/json" -d '{"promptId":"<prompt-id>","input":{}}' \\\n  ${base}/executions`,
  },
  { scope: "files:download", command: (base, auth) => `curl ${auth} \\\n  ${base}/files/<file-id>/content` },
  {
    scope: "files:upload",
    command: (base, auth) =>
      `curl -X POST ${auth} \\\n  -H "Content-Type: application/json" -d '{"name":"notes.txt","mimeType":"text/plain","contentBase64":"aGVsbG8="}' \\\n  ${base}/files`,
  },
];

export function restExample(apiBase: string, key: string, scopes: readonly ApiKeyScope[]): string {
  const auth = `-H "Authorization: Bearer ${key}"`;
  const example = EXAMPLES.find((candidate) => scopes.includes(candidate.scope));
  if (example) return example.command(apiBase, auth);
  const trpc = apiBase.replace(/\/api\/v1$/, "/api/trpc");
  return `curl -X POST ${auth} \\\n  -H "Content-Type: application/json" -d '{"json":{"template":"Hello {{name}}","variables":{"name":"Ada"}}}' \\\n  ${trpc}/prompts.preview`;
}
