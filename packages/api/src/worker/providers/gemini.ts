import { z } from "zod";
import { ExecutionFailure } from "../provider.ts";
import { binaryAttachments, tokens, userText, type WireFormat } from "./wire.ts";

const generationSchema = z.object({
  candidates: z
    .array(
      z.looseObject({
        content: z.object({ parts: z.array(z.looseObject({ text: z.string().optional() })).optional() }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z.looseObject({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional() }).optional(),
});
const errorSchema = z.object({ error: z.object({ code: z.number().optional(), message: z.string(), status: z.string().optional() }) });
const modelsSchema = z.object({ models: z.array(z.object({ name: z.string(), supportedGenerationMethods: z.array(z.string()).optional() })) });

function keyHeader(apiKey: string): Record<string, string> {
  return { "x-goog-api-key": apiKey };
}

/** Gemini's generateContent (POST /v1beta/models/{model}:generateContent), ai.google.dev/api/generate-content. */
export const geminiWire: WireFormat = {
  kind: "gemini",
  generate(request, settings, model, label) {
    const attachments = binaryAttachments(request.files, { image: true, pdf: true }, label);
    const parts = [
      ...attachments.map((attachment) => ({ inline_data: { mime_type: attachment.mimeType, data: attachment.base64 } })),
      { text: userText(request) },
    ];
    const generationConfig: Record<string, unknown> = { ...request.options };
    if (request.responseSchema) {
      generationConfig.responseMimeType = "application/json";
      generationConfig.responseJsonSchema = request.responseSchema;
    }
    const body: Record<string, unknown> = { contents: [{ role: "user", parts }] };
    if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
    const name = model.replace(/^models\//, "");
    return { method: "POST", path: `/v1beta/models/${encodeURIComponent(name)}:generateContent`, headers: keyHeader(settings.apiKey), body };
  },
  parseGeneration(body, label) {
    const parsed = generationSchema.safeParse(body);
    if (!parsed.success) throw new ExecutionFailure(`Provider ${label} answered without a generation (expected JSON with candidates[]).`);
    const { data } = parsed;
    const blocked = data.promptFeedback?.blockReason;
    if (blocked) throw new ExecutionFailure(`Provider ${label} blocked the prompt (${blocked}).`);
    const candidate = data.candidates?.[0];
    const text = (candidate?.content?.parts ?? []).map((part) => part.text ?? "").join("");
    if (!candidate || text === "") {
      throw new ExecutionFailure(`Provider ${label} answered without text${candidate?.finishReason ? ` (finish reason ${candidate.finishReason})` : ""}.`);
    }
    const usage = data.usageMetadata
      ? { inputTokens: tokens(data.usageMetadata.promptTokenCount), outputTokens: tokens(data.usageMetadata.candidatesTokenCount) }
      : null;
    return { output: text, usage };
  },
  errorMessage(body) {
    const parsed = errorSchema.safeParse(body);
    if (!parsed.success) return null;
    return parsed.data.error.status ? `${parsed.data.error.message} (${parsed.data.error.status})` : parsed.data.error.message;
  },
  listModels(settings) {
    return { method: "GET", path: "/v1beta/models?pageSize=1000", headers: keyHeader(settings.apiKey) };
  },
  parseModels(body) {
    const parsed = modelsSchema.safeParse(body);
    if (!parsed.success) return null;
    return parsed.data.models
      .filter((model) => !model.supportedGenerationMethods || model.supportedGenerationMethods.includes("generateContent"))
      .map((model) => model.name.replace(/^models\//, ""));
  },
};
