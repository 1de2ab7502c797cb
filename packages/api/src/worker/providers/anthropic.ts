import { ANTHROPIC_DEFAULT_MAX_TOKENS } from "@sigil/validators";
import { z } from "zod";
import { ExecutionFailure } from "../provider.ts";
import { binaryAttachments, tokens, userText, type WireFormat } from "./wire.ts";

export const ANTHROPIC_VERSION = "2023-06-01";
/** The forced tool a response schema becomes: its input is the structured result. */
export const STRUCTURED_TOOL = "structured_response";

const messageSchema = z.object({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), name: z.string().optional(), input: z.unknown().optional() })),
  usage: z.looseObject({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).optional(),
});
const errorSchema = z.object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }) });
const modelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

function headers(apiKey: string): Record<string, string> {
  return { "x-api-key": apiKey, "anthropic-version": ANTHROPIC_VERSION };
}

/** Anthropic's Messages API (POST /v1/messages), docs.anthropic.com/en/api/messages. */
export const anthropicWire: WireFormat = {
  kind: "anthropic",
  generate(request, settings, model, label) {
    const attachments = binaryAttachments(request.files, { image: true, pdf: true }, label);
    const content = [
      ...attachments.map((attachment) => ({
        type: attachment.type === "pdf" ? "document" : "image",
        source: { type: "base64", media_type: attachment.mimeType, data: attachment.base64 },
      })),
      { type: "text", text: userText(request) },
    ];
    const body: Record<string, unknown> = {
      max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
      ...request.options,
      model,
      messages: [{ role: "user", content }],
    };
    if (request.responseSchema) {
      body.tools = [{ name: STRUCTURED_TOOL, description: "Answer with this structure.", input_schema: request.responseSchema }];
      body.tool_choice = { type: "tool", name: STRUCTURED_TOOL };
    }
    return { method: "POST", path: "/v1/messages", headers: headers(settings.apiKey), body };
  },
  parseGeneration(body, label) {
    const parsed = messageSchema.safeParse(body);
    if (!parsed.success) throw new ExecutionFailure(`Provider ${label} answered without a message (expected JSON with content[]).`);
    const usage = { inputTokens: tokens(parsed.data.usage?.input_tokens), outputTokens: tokens(parsed.data.usage?.output_tokens) };
    const tool = parsed.data.content.find((block) => block.type === "tool_use" && block.name === STRUCTURED_TOOL);
    if (tool) return { output: JSON.stringify(tool.input ?? null), usage };
    const text = parsed.data.content.filter((block) => block.type === "text").map((block) => block.text ?? "");
    if (text.length === 0) throw new ExecutionFailure(`Provider ${label} answered without text content.`);
    return { output: text.join(""), usage };
  },
  errorMessage(body) {
    const parsed = errorSchema.safeParse(body);
    return parsed.success ? `${parsed.data.error.message} (${parsed.data.error.type})` : null;
  },
  listModels(settings) {
    return { method: "GET", path: "/v1/models?limit=1000", headers: headers(settings.apiKey) };
  },
  parseModels(body) {
    const parsed = modelsSchema.safeParse(body);
    return parsed.success ? parsed.data.data.map((model) => model.id) : null;
  },
};
