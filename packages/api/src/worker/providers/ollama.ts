import { z } from "zod";
import { ExecutionFailure } from "../provider.ts";
import { openAIAuthorization } from "./openai-chat.ts";
import { binaryAttachments, tokens, userText, type WireFormat } from "./wire.ts";

const chatSchema = z.object({
  message: z.object({ content: z.string() }),
  prompt_eval_count: z.number().optional(),
  eval_count: z.number().optional(),
});
const errorSchema = z.object({ error: z.string() });
const tagsSchema = z.object({ models: z.array(z.object({ name: z.string() })) });

/** Ollama's chat endpoint (POST /api/chat, not streamed), github.com/ollama/ollama/blob/main/docs/api.md. */
export const ollamaWire: WireFormat = {
  kind: "ollama",
  generate(request, settings, model, label) {
    const images = binaryAttachments(request.files, { image: true, pdf: false }, label).map((attachment) => attachment.base64);
    const message: Record<string, unknown> = { role: "user", content: userText(request) };
    if (images.length > 0) message.images = images;
    const body: Record<string, unknown> = { model, messages: [message], stream: false };
    if (Object.keys(request.options).length > 0) body.options = request.options;
    if (request.responseSchema) body.format = request.responseSchema;
    // A key only when one is saved: a bare Ollama has none; a proxy in front of it may want one.
    return { method: "POST", path: "/api/chat", headers: openAIAuthorization(settings.apiKey), body };
  },
  parseGeneration(body, label) {
    const parsed = chatSchema.safeParse(body);
    if (!parsed.success) throw new ExecutionFailure(`Provider ${label} answered without a chat message (expected JSON with message.content).`);
    return {
      output: parsed.data.message.content,
      usage: { inputTokens: tokens(parsed.data.prompt_eval_count), outputTokens: tokens(parsed.data.eval_count) },
    };
  },
  errorMessage(body) {
    const parsed = errorSchema.safeParse(body);
    return parsed.success ? parsed.data.error : null;
  },
  listModels(settings) {
    return { method: "GET", path: "/api/tags", headers: openAIAuthorization(settings.apiKey) };
  },
  parseModels(body) {
    const parsed = tagsSchema.safeParse(body);
    return parsed.success ? parsed.data.models.map((model) => model.name) : null;
  },
};
