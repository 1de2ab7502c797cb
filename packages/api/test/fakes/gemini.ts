import {
  countTokens,
  echo,
  FAKE_MODELS,
  isRecord,
  startFake,
  textOf,
  type FakeOptions,
  type FakeProvider,
  type FakeWire,
  type ProviderAnswer,
} from "./server.ts";

/**
 * Gemini's API as ai.google.dev documents it: POST /v1beta/models/{model}:generateContent with the
 * key as x-goog-api-key or ?key=, candidates[].content.parts and usageMetadata; errors as
 * {"error":{"code","message","status"}}; GET /v1beta/models.
 */
const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};
const error = (status: number, message: string): ProviderAnswer => ({
  status,
  body: { error: { code: status, message, status: STATUS_NAMES[status] ?? "UNKNOWN" } },
});

export const geminiFakeWire: FakeWire = {
  isGeneration: (method, path) => method === "POST" && /^\/v1beta\/models\/[^/]+:generateContent$/.test(path),
  isModelList: (method, path) => method === "GET" && path === "/v1beta/models",
  checkAuth(request, apiKey) {
    if (apiKey === null) return null;
    const query = new URL(request.url, "http://fake").searchParams.get("key");
    if (request.headers["x-goog-api-key"] !== apiKey && query !== apiKey) return error(400, "API key not valid. Please pass a valid API key.");
    return null;
  },
  generate(request) {
    const body = isRecord(request.body) ? request.body : {};
    const contents = Array.isArray(body.contents) ? body.contents : [];
    const last: unknown = contents[contents.length - 1];
    const text = isRecord(last) ? textOf(last.parts) : "";
    const config = isRecord(body.generationConfig) ? body.generationConfig : {};
    const output = echo(text, config.responseMimeType === "application/json");
    return {
      status: 200,
      body: {
        candidates: [{ content: { role: "model", parts: [{ text: output }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: {
          promptTokenCount: countTokens(text),
          candidatesTokenCount: countTokens(output),
          totalTokenCount: countTokens(text) + countTokens(output),
        },
        modelVersion: "fake",
      },
    };
  },
  models: () => ({
    status: 200,
    body: { models: FAKE_MODELS.map((id) => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: ["generateContent", "countTokens"] })) },
  }),
  error,
};

export function startFakeGemini(options?: FakeOptions): Promise<FakeProvider> {
  return startFake(geminiFakeWire, options);
}
