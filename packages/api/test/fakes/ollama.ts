import { countTokens, echo, FAKE_MODELS, isRecord, startFake, type FakeOptions, type FakeProvider, type FakeWire, type ProviderAnswer } from "./server.ts";

/**
 * Ollama's API as its docs/api.md documents it: POST /api/chat (stream false) answering message,
 * prompt_eval_count and eval_count; errors as {"error":"…"}; GET /api/tags lists local models.
 * No key (a local server).
 */
const error = (status: number, message: string): ProviderAnswer => ({ status, body: { error: message } });

export const ollamaFakeWire: FakeWire = {
  isGeneration: (method, path) => method === "POST" && path === "/api/chat",
  isModelList: (method, path) => method === "GET" && path === "/api/tags",
  checkAuth: () => null,
  generate(request) {
    const body = isRecord(request.body) ? request.body : {};
    if (typeof body.model !== "string" || !FAKE_MODELS.includes(body.model)) {
      return error(404, `model "${String(body.model)}" not found, try pulling it first`);
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const last: unknown = messages[messages.length - 1];
    const text = isRecord(last) && typeof last.content === "string" ? last.content : "";
    const output = echo(text, body.format !== undefined);
    return {
      status: 200,
      body: {
        model: body.model,
        created_at: "2025-01-01T00:00:00Z",
        message: { role: "assistant", content: output },
        done: true,
        done_reason: "stop",
        prompt_eval_count: countTokens(text),
        eval_count: countTokens(output),
      },
    };
  },
  models: () => ({ status: 200, body: { models: FAKE_MODELS.map((name) => ({ name, model: name, size: 1, digest: "fake" })) } }),
  error,
};

export function startFakeOllama(options?: FakeOptions): Promise<FakeProvider> {
  return startFake(ollamaFakeWire, options);
}
