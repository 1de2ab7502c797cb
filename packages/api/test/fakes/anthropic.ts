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
 * Anthropic's Messages API as docs.anthropic.com documents it: POST /v1/messages with x-api-key and
 * anthropic-version, a message with content blocks and a usage block; errors as
 * {"type":"error","error":{"type","message"}}; GET /v1/models lists models.
 */
const error = (status: number, message: string, type?: string): ProviderAnswer => ({
  status,
  body: { type: "error", error: { type: type ?? ERROR_TYPES[status] ?? "api_error", message } },
});
const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

export const anthropicFakeWire: FakeWire = {
  isGeneration: (method, path) => method === "POST" && path === "/v1/messages",
  isModelList: (method, path) => method === "GET" && path === "/v1/models",
  checkAuth(request, apiKey) {
    if (request.headers["anthropic-version"] === undefined) return error(400, "anthropic-version: header is required", "invalid_request_error");
    if (apiKey !== null && request.headers["x-api-key"] !== apiKey) return error(401, "invalid x-api-key", "authentication_error");
    return null;
  },
  generate(request) {
    const body = isRecord(request.body) ? request.body : {};
    if (typeof body.max_tokens !== "number") return error(400, "max_tokens: Field required", "invalid_request_error");
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const last: unknown = messages[messages.length - 1];
    const text = isRecord(last) ? textOf(last.content) : "";
    const toolChoice = isRecord(body.tool_choice) ? body.tool_choice : null;
    const usage = { input_tokens: countTokens(text), output_tokens: countTokens(echo(text, toolChoice !== null)) };
    const content =
      toolChoice && typeof toolChoice.name === "string"
        ? [{ type: "tool_use", id: "toolu_fake01", name: toolChoice.name, input: { echo: text } }]
        : [{ type: "text", text: echo(text, false) }];
    return {
      status: 200,
      body: {
        id: "msg_fake01",
        type: "message",
        role: "assistant",
        model: body.model,
        content,
        stop_reason: toolChoice ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage,
      },
    };
  },
  models: () => ({
    status: 200,
    body: {
      data: FAKE_MODELS.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" })),
      has_more: false,
      first_id: FAKE_MODELS[0],
      last_id: FAKE_MODELS[FAKE_MODELS.length - 1],
    },
  }),
  error,
};

export function startFakeAnthropic(options?: FakeOptions): Promise<FakeProvider> {
  return startFake(anthropicFakeWire, options);
}
