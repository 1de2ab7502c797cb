import { z } from "zod";
import { ExecutionFailure } from "../provider.ts";
import { binaryAttachments, dataUrl, tokens, userText, type WireFormat } from "./wire.ts";

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.union([
            z.string(),
            // Some compatible servers answer with content parts.
            z.array(z.object({ type: z.string(), text: z.string().optional() })),
            z.null(),
          ]),
          refusal: z.string().nullish(),
        }),
      }),
    )
    .min(1),
  usage: z.looseObject({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish(),
});
/** OpenAI's error body; compatible servers often answer `{"error": "text"}` or `{"message": …}` instead. */
const errorSchema = z.union([
  z.object({ error: z.object({ message: z.string() }) }).transform((value) => value.error.message),
  z.object({ error: z.string() }).transform((value) => value.error),
  z.object({ message: z.string() }).transform((value) => value.message),
]);
const modelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

function authorization(apiKey: string): Record<string, string> {
  return apiKey === "" ? {} : { authorization: `Bearer ${apiKey}` };
}

function chatWire(kind: "openai" | "openai-compatible"): WireFormat {
  return {
    kind,
    generate(request, settings, model, label) {
      const attachments = binaryAttachments(request.files, { image: true, pdf: kind === "openai" }, label);
      const text = userText(request);
      const content =
        attachments.length === 0
          ? text
          : [
              ...attachments.map((attachment) =>
                attachment.type === "image"
                  ? { type: "image_url", image_url: { url: dataUrl(attachment) } }
                  : { type: "file", file: { filename: attachment.file.name, file_data: dataUrl(attachment) } },
              ),
              { type: "text", text },
            ];
      const body: Record<string, unknown> = { ...request.options, model, messages: [{ role: "user", content }] };
      if (request.responseSchema) {
        body.response_format = { type: "json_schema", json_schema: { name: "response", schema: request.responseSchema } };
      }
      return { method: "POST", path: "/chat/completions", headers: authorization(settings.apiKey), body };
    },
    parseGeneration(body, label) {
      const parsed = completionSchema.safeParse(body);
      if (!parsed.success) {
        throw new ExecutionFailure(`Provider ${label} answered without a chat completion (expected JSON with choices[0].message.content).`);
      }
      const usage = parsed.data.usage
        ? { inputTokens: tokens(parsed.data.usage.prompt_tokens), outputTokens: tokens(parsed.data.usage.completion_tokens) }
        : null;
      const message = parsed.data.choices[0]?.message;
      const content = message?.content;
      if (typeof content === "string") return { output: content, usage };
      if (Array.isArray(content)) return { output: content.map((part) => part.text ?? "").join(""), usage };
      if (message?.refusal) throw new ExecutionFailure(`Provider ${label} refused: ${message.refusal}`);
      throw new ExecutionFailure(`Provider ${label} answered without message content (choices[0].message.content is null).`);
    },
    errorMessage(body) {
      const parsed = errorSchema.safeParse(body);
      return parsed.success ? parsed.data : null;
    },
    listModels(settings) {
      return { method: "GET", path: "/models", headers: authorization(settings.apiKey) };
    },
    parseModels(body) {
      const parsed = modelsSchema.safeParse(body);
      return parsed.success ? parsed.data.data.map((model) => model.id) : null;
    },
  };
}

/** OpenAI's Chat Completions (POST /chat/completions), platform.openai.com/docs/api-reference/chat. */
export const openAIChatWire = chatWire("openai");
/** Any server speaking Chat Completions (vLLM, LM Studio, proxies): images only, key optional. */
export const openAICompatibleWire = chatWire("openai-compatible");

export { authorization as openAIAuthorization, errorSchema as openAIErrorSchema };
