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
 * OpenAI's API as platform.openai.com documents it: Chat Completions (POST /chat/completions,
 * usage.prompt_tokens / completion_tokens) and Responses (POST /responses, output[] of messages,
 * usage.input_tokens / output_tokens), bearer keys, errors as {"error":{"message","type","code"}},
 * GET /models. Served under /v1, like api.openai.com, and at the root, like many compatible servers.
 */
const error = (status: number, message: string, type?: string): ProviderAnswer => ({
  status,
  body: { error: { message, type: type ?? (status === 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error"), param: null, code: null } },
});

/** "/v1/models" and "/anything/v1/models" (a proxy's prefix) are both "/models". */
const strip = (path: string) => path.replace(/^(?:\/[^/]+)*?\/v1(?=\/)/, "");

export const openAIFakeWire: FakeWire = {
  isGeneration: (method, path) => method === "POST" && ["/chat/completions", "/responses"].includes(strip(path)),
  isModelList: (method, path) => method === "GET" && strip(path) === "/models",
  checkAuth(request, apiKey) {
    if (apiKey !== null && request.headers.authorization !== `Bearer ${apiKey}`) {
      return error(
        401,
        "Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.",
        "invalid_request_error",
      );
    }
    return null;
  },
  generate(request) {
    const body = isRecord(request.body) ? request.body : {};
    return strip(request.url.split("?")[0] ?? "") === "/responses" ? responses(body) : chat(body);
  },
  models: () => ({ status: 200, body: { object: "list", data: FAKE_MODELS.map((id) => ({ id, object: "model", created: 1_700_000_000, owned_by: "fake" })) } }),
  error,
};

function chat(body: Record<string, unknown>): ProviderAnswer {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last: unknown = messages[messages.length - 1];
  const text = isRecord(last) ? textOf(last.content) : "";
  const output = echo(text, isRecord(body.response_format));
  return {
    status: 200,
    body: {
      id: "chatcmpl-fake01",
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: output, refusal: null }, finish_reason: "stop" }],
      usage: { prompt_tokens: countTokens(text), completion_tokens: countTokens(output), total_tokens: countTokens(text) + countTokens(output) },
    },
  };
}

function responses(body: Record<string, unknown>): ProviderAnswer {
  const input = Array.isArray(body.input) ? body.input : [];
  const last: unknown = input[input.length - 1];
  const text = typeof body.input === "string" ? body.input : isRecord(last) ? textOf(last.content) : "";
  const structured = isRecord(body.text) && isRecord(body.text.format) && body.text.format.type === "json_schema";
  const output = echo(text, structured);
  return {
    status: 200,
    body: {
      id: "resp_fake01",
      object: "response",
      status: "completed",
      model: body.model,
      output: [
        { type: "message", id: "msg_fake01", status: "completed", role: "assistant", content: [{ type: "output_text", text: output, annotations: [] }] },
      ],
      usage: { input_tokens: countTokens(text), output_tokens: countTokens(output), total_tokens: countTokens(text) + countTokens(output) },
    },
  };
}

export function startFakeOpenAI(options?: FakeOptions): Promise<FakeProvider> {
  return startFake(openAIFakeWire, options);
}
