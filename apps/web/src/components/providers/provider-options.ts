import { providerOptionNames, providerOptionsProblem, type ProviderOptionsKind } from "@sigil/validators";
import { parseJsonObject, toJsonText, type JsonObjectResult } from "@/components/deployments/json";

/**
 * Provider options as forms take them: a JSON object typed under the provider's own names
 * (packages/validators/src/providers.ts). `kind` is undefined when the form cannot know the
 * provider's kind (settings.list is for admins): then the server's 400 names the problem.
 */

/** Which options a provider of this kind takes, for the hint under the field. */
export function optionsHint(kind: ProviderOptionsKind | undefined): string {
  if (kind === "template") return "The built-in template provider takes no options.";
  if (kind === undefined) return "A JSON object of the provider's options, under its own names.";
  return `A JSON object under the provider's own names: ${providerOptionNames(kind).join(", ")}. E.g. {"temperature": 0.2}.`;
}

/**
 * The options to send, or the sentence that says why they cannot be: not a JSON object, or (kind
 * known) an option the kind refuses. `base` are options the typed ones override one by one (a
 * deployment's own): the merged object is what the provider gets, so that is what is checked.
 * The template provider takes none and forms hide its field: text typed for another provider
 * before switching to it is not sent.
 */
export function parseProviderOptions(text: string, kind: ProviderOptionsKind | undefined, base: Readonly<Record<string, unknown>> = {}): JsonObjectResult {
  if (kind === "template") return { ok: true, value: {} };
  const parsed = parseJsonObject(text, "Options");
  if (!parsed.ok || kind === undefined) return parsed;
  const problem = providerOptionsProblem(kind, { ...base, ...parsed.value });
  return problem === null ? parsed : { ok: false, message: problem };
}

/** Stored options as the field's starting text: blank for none, so an untouched field adds nothing. */
export function optionsText(options: Readonly<Record<string, unknown>> | undefined): string {
  return options === undefined || Object.keys(options).length === 0 ? "" : toJsonText({ ...options });
}

export const TEMPLATE_PROVIDER = "template";

/** The chosen provider's kind: "template" for the built-in one, undefined when it is not listed. */
export function providerKindOf(
  identifier: string,
  providers: readonly { identifier: string; kind?: ProviderOptionsKind | undefined }[],
): ProviderOptionsKind | undefined {
  if (identifier === TEMPLATE_PROVIDER) return "template";
  return providers.find((provider) => provider.identifier === identifier)?.kind;
}
