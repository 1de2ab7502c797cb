import { settingsModel } from "@sigil/db";
import { PROVIDER_KIND_LABELS, providerIdentifierInput, providerKind, providerOptionNames } from "@sigil/validators";
import { z } from "zod";
import { authedProcedure } from "../procedures.ts";
import { ERRORS } from "../rest/errors.ts";
import { configuredProvider, listModelNames } from "../services/configured-providers.ts";
import { PROVIDER_SETTING_TYPE } from "../services/executions.ts";
import { router } from "../trpc.ts";
import { storedProvider } from "../worker/providers/settings.ts";

/**
 * The providers a member can run prompts on, as run forms and programs need them: never a key,
 * a base URL or a limit (those stay in the admins' settings). Only active providers: a
 * deactivated one refuses new executions.
 */
const run = authedProcedure({ role: "user", scope: "executions:run" });

const runnableProvider = z
  .object({
    identifier: z.string(),
    kind: providerKind,
    kindLabel: z.string().meta({ description: 'The API it speaks, e.g. "Anthropic (Messages API)".' }),
    defaultModel: z.string().meta({ description: "The model an execution uses when it names none." }),
    optionNames: z.array(z.string()).meta({ description: "The per-run options it accepts, under its own names (temperature, max_tokens…)." }),
  })
  .meta({ id: "RunnableProvider" });

export const providersRouter = router({
  list: run
    .meta({
      openapi: {
        method: "GET",
        path: "/providers",
        tags: ["providers"],
        summary: "List the providers prompts can run on",
        description:
          'The workspace\'s active providers with their kind, default model and options. The built-in "template" provider is always available and not listed.',
        errorResponses: ERRORS.read,
      },
    })
    .input(z.object({}))
    .output(z.array(runnableProvider))
    .query(async () => {
      const rows = await settingsModel.findMany({ where: { type: PROVIDER_SETTING_TYPE }, orderBy: { column: "identifier" } });
      return rows.flatMap((row) => {
        const provider = storedProvider(row);
        if (!provider?.active) return [];
        return [
          {
            identifier: row.identifier,
            kind: provider.kind,
            kindLabel: PROVIDER_KIND_LABELS[provider.kind],
            defaultModel: provider.defaultModel,
            optionNames: providerOptionNames(provider.kind),
          },
        ];
      });
    }),

  /** The provider's own model list (its list endpoint), for model pickers; 502 when the provider cannot be reached. */
  models: run
    .meta({
      openapi: {
        method: "GET",
        path: "/providers/{identifier}/models",
        tags: ["providers"],
        summary: "List a provider's models",
        description:
          "Read from the provider's own list endpoint. 404 for a provider that is not configured or is deactivated; 502 when the provider cannot be reached.",
        errorResponses: { ...ERRORS.read, 502: "The provider could not be reached or refused the request." },
      },
    })
    .input(providerIdentifierInput)
    .output(z.object({ identifier: z.string(), models: z.array(z.string()) }))
    .query(async ({ ctx, input }) => {
      const { provider } = await configuredProvider(input.identifier, ctx.config.outboundAllow, { activeOnly: true });
      return { identifier: input.identifier, models: await listModelNames(provider) };
    }),
});
