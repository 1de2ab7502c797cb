import { z } from "zod";
import { ExecutionFailure } from "../provider.ts";
import { openAIAuthorization, openAIChatWire, openAIErrorSchema } from "./openai-chat.ts";
import { binaryAttachments, dataUrl, tokens, userText, type WireFormat } from "./wire.ts";

const responseSchema = z.object({
  status: z.string().optional(),
  error: z.object({ message: z.string() }).nullish(),
  incomplete_details: z.object({ reason: z.string() }).nullish(),
  output: z.array(
    z.looseObject({
      type: z.string(),
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() })).optional(),
    }),
  ),
  usage: z.looseObject({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).nullish(),
});

/** OpenAI's Responses API (POST /responses), platform.openai.com/docs/api-reference/responses. */
export const openAIResponsesWire: WireFormat = {
  kind: "openai-responses",
  generate(request, settings, model, label) {
    const attachments = binaryAttachments(request.files, { image: true, pdf: true }, label);
    const content = [
      ...attachments.map((attachment) =>
        attachment.type === "image"
          ? { type: "input_image", image_url: dataUrl(attachment) }
          : { type: "input_file", filename: attachment.file.name, file_data: dataUrl(attachment) },
      ),
      { type: "input_text", text: userText(request) },
    ];
    const body: Record<string, unknown> = { ...request.options, model, input: [{ role: "user", content }], store: false };
    if (request.responseSchema) {
      body.text = { format: { type: "json_schema", name: "response", schema: request.responseSchema } };
    }
    return { method: "POST", path: "/responses", headers: openAIAuthorization(settings.apiKey), body };
  },
  parseGeneration(body, label) {
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) throw new ExecutionFailure(`Provider ${label} answered without a response (expected JSON with output[]).`);
    const { data } = parsed;
    if (data.status === "failed" && data.error) throw new ExecutionFailure(`Provider ${label} failed: ${data.error.message}`);
    const parts = data.output.filter((item) => item.type === "message").flatMap((item) => item.content ?? []);
    const refusal = parts.find((part) => part.type === "refusal");
    if (refusal?.refusal) throw new ExecutionFailure(`Provider ${label} refused: ${refusal.refusal}`);
    const text = parts.filter((part) => part.type === "output_text").map((part) => part.text ?? "");
    if (text.length === 0) {
      const reason = data.incomplete_details?.reason;
      throw new ExecutionFailure(`Provider ${label} answered without output text${reason ? ` (incomplete: ${reason})` : ""}.`);
    }
    const usage = data.usage ? { inputTokens: tokens(data.usage.input_tokens), outputTokens: tokens(data.usage.output_tokens) } : null;
    return { output: text.join(""), usage };
  },
  errorMessage(body) {
    const parsed = openAIErrorSchema.safeParse(body);
    return parsed.success ? parsed.data : null;
  },
  // The same GET /models as Chat Completions.
  listModels: (settings) => openAIChatWire.listModels(settings),
  parseModels: (body) => openAIChatWire.parseModels(body),
};
