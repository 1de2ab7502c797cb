import { describe, expect, test } from "vitest";
import { ExecutionFailure, type ProviderRequest } from "../provider.ts";
import { anthropicWire, STRUCTURED_TOOL } from "./anthropic.ts";
import { geminiWire } from "./gemini.ts";
import { ollamaWire } from "./ollama.ts";
import { openAIChatWire, openAICompatibleWire } from "./openai-chat.ts";
import { openAIResponsesWire } from "./openai-responses.ts";
import type { ProviderSettings } from "./settings.ts";

const settings = (kind: ProviderSettings["kind"], apiKey = "sk-test"): ProviderSettings => ({
  kind,
  baseUrl: "https://models.example",
  apiKey,
  defaultModel: "default-model",
  active: true,
  maxConcurrency: 4,
});
const png = { name: "cat.png", mimeType: "image/png", content: Buffer.from("PNGDATA") };
const pdf = { name: "report.pdf", mimeType: "application/pdf", content: Buffer.from("%PDF-1.7") };
const text = { name: "notes.txt", mimeType: "text/plain", content: Buffer.from("plain notes") };
const zip = { name: "bundle.zip", mimeType: "application/zip", content: Buffer.from("PK") };
const b64 = (value: string) => Buffer.from(value).toString("base64");

function request(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return { template: "Hello {{name}}", input: { name: "Ada" }, model: "", files: [], options: {}, responseSchema: null, ...overrides };
}
const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"] };

describe("anthropic (Messages API)", () => {
  test("headers, default max_tokens, options by their own names, images and PDFs as content blocks", () => {
    const call = anthropicWire.generate(request({ files: [png, pdf, text], options: { temperature: 0.3, top_k: 5 } }), settings("anthropic"), "claude-x", "A");
    expect(call).toMatchObject({ method: "POST", path: "/v1/messages", headers: { "x-api-key": "sk-test", "anthropic-version": "2023-06-01" } });
    expect(call.body).toEqual({
      max_tokens: 4096,
      temperature: 0.3,
      top_k: 5,
      model: "claude-x",
      messages: [
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: b64("PNGDATA") } },
            { type: "document", source: { type: "base64", media_type: "application/pdf", data: b64("%PDF-1.7") } },
            { type: "text", text: "Hello Ada" },
          ],
        },
      ],
    });
    expect(anthropicWire.generate(request({ options: { max_tokens: 20 } }), settings("anthropic"), "m", "A").body).toMatchObject({ max_tokens: 20 });
  });

  test("a response schema becomes a forced tool whose input is the output", () => {
    const call = anthropicWire.generate(request({ responseSchema: schema }), settings("anthropic"), "m", "A");
    expect(call.body).toMatchObject({
      tools: [{ name: STRUCTURED_TOOL, input_schema: schema }],
      tool_choice: { type: "tool", name: STRUCTURED_TOOL },
    });
    const parsed = anthropicWire.parseGeneration(
      { content: [{ type: "tool_use", id: "t", name: STRUCTURED_TOOL, input: { answer: "42" } }], usage: { input_tokens: 12, output_tokens: 7 } },
      "A",
    );
    expect(parsed).toEqual({ output: '{"answer":"42"}', usage: { inputTokens: 12, outputTokens: 7 } });
  });

  test("text blocks, usage, error bodies, model list", () => {
    expect(
      anthropicWire.parseGeneration(
        {
          content: [
            { type: "text", text: "Hi " },
            { type: "text", text: "there" },
          ],
          usage: { input_tokens: 3, output_tokens: 2 },
        },
        "A",
      ),
    ).toEqual({
      output: "Hi there",
      usage: { inputTokens: 3, outputTokens: 2 },
    });
    expect(() => anthropicWire.parseGeneration({ content: [] }, "A")).toThrow(ExecutionFailure);
    expect(anthropicWire.errorMessage({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })).toBe("Overloaded (overloaded_error)");
    expect(anthropicWire.errorMessage({ error: { message: "openai style" } })).toBeNull();
    expect(anthropicWire.parseModels({ data: [{ id: "claude-a" }, { id: "claude-b" }] })).toEqual(["claude-a", "claude-b"]);
  });
});

describe("openai (Chat Completions)", () => {
  test("bearer key, data-URL images, PDFs as file parts, json_schema response format", () => {
    const call = openAIChatWire.generate(
      request({ files: [png, pdf], responseSchema: schema, options: { max_completion_tokens: 9 } }),
      settings("openai"),
      "gpt-x",
      "O",
    );
    expect(call).toMatchObject({ path: "/chat/completions", headers: { authorization: "Bearer sk-test" } });
    expect(call.body).toEqual({
      max_completion_tokens: 9,
      model: "gpt-x",
      messages: [
        {
          role: "user",
          content: [
            { type: "image_url", image_url: { url: `data:image/png;base64,${b64("PNGDATA")}` } },
            { type: "file", file: { filename: "report.pdf", file_data: `data:application/pdf;base64,${b64("%PDF-1.7")}` } },
            { type: "text", text: "Hello Ada" },
          ],
        },
      ],
      response_format: { type: "json_schema", json_schema: { name: "response", schema } },
    });
    // Without attachments the content stays a string, as compatible servers expect.
    expect(openAIChatWire.generate(request(), settings("openai"), "m", "O").body).toMatchObject({ messages: [{ role: "user", content: "Hello Ada" }] });
  });

  test("usage, refusals, error formats; compatible servers without a key get no Authorization and no PDFs", () => {
    expect(openAIChatWire.parseGeneration({ choices: [{ message: { content: "ok" } }], usage: { prompt_tokens: 5, completion_tokens: 1 } }, "O")).toEqual({
      output: "ok",
      usage: { inputTokens: 5, outputTokens: 1 },
    });
    expect(openAIChatWire.parseGeneration({ choices: [{ message: { content: "ok" } }] }, "O").usage).toBeNull();
    expect(() => openAIChatWire.parseGeneration({ choices: [{ message: { content: null, refusal: "I can't help with that." } }] }, "O")).toThrow(
      "Provider O refused: I can't help with that.",
    );
    expect(openAIChatWire.errorMessage({ error: { message: "Rate limit reached", type: "requests" } })).toBe("Rate limit reached");
    expect(openAICompatibleWire.errorMessage({ error: "model not loaded" })).toBe("model not loaded");
    expect(openAICompatibleWire.generate(request(), settings("openai-compatible", ""), "m", "C").headers).toEqual({});
    expect(() => openAICompatibleWire.generate(request({ files: [pdf] }), settings("openai-compatible"), "m", 'Provider "local"')).toThrow(
      /does not accept PDF files; "report\.pdf" cannot be sent/,
    );
  });

  test("other binary files are refused naming the provider; text files go through the template only", () => {
    expect(() => openAIChatWire.generate(request({ files: [zip] }), settings("openai"), "m", '"o" (openai)')).toThrow(
      'Provider "o" (openai) cannot take the attached file "bundle.zip" (application/zip)',
    );
    const call = openAIChatWire.generate(request({ template: "{{#files}}{{name}}: {{text}}{{/files}}", files: [text] }), settings("openai"), "m", "O");
    expect(call.body).toMatchObject({ messages: [{ content: "notes.txt: plain notes" }] });
  });
});

describe("openai-responses (Responses API)", () => {
  test("input parts, text.format json_schema, output_text and usage", () => {
    const call = openAIResponsesWire.generate(
      request({ files: [png, pdf], responseSchema: schema, options: { max_output_tokens: 50 } }),
      settings("openai-responses"),
      "gpt-r",
      "R",
    );
    expect(call.path).toBe("/responses");
    expect(call.body).toEqual({
      max_output_tokens: 50,
      model: "gpt-r",
      store: false,
      input: [
        {
          role: "user",
          content: [
            { type: "input_image", image_url: `data:image/png;base64,${b64("PNGDATA")}` },
            { type: "input_file", filename: "report.pdf", file_data: `data:application/pdf;base64,${b64("%PDF-1.7")}` },
            { type: "input_text", text: "Hello Ada" },
          ],
        },
      ],
      text: { format: { type: "json_schema", name: "response", schema } },
    });
    const answer = {
      status: "completed",
      output: [
        { type: "reasoning", summary: [] },
        { type: "message", content: [{ type: "output_text", text: '{"answer":"x"}' }] },
      ],
      usage: { input_tokens: 20, output_tokens: 4 },
    };
    expect(openAIResponsesWire.parseGeneration(answer, "R")).toEqual({ output: '{"answer":"x"}', usage: { inputTokens: 20, outputTokens: 4 } });
    expect(() => openAIResponsesWire.parseGeneration({ status: "incomplete", output: [], incomplete_details: { reason: "max_output_tokens" } }, "R")).toThrow(
      "Provider R answered without output text (incomplete: max_output_tokens).",
    );
  });
});

describe("gemini (generateContent)", () => {
  test("model in the path, key header, inline data, generationConfig with the JSON schema", () => {
    const call = geminiWire.generate(
      request({ files: [png, pdf], responseSchema: schema, options: { temperature: 0.1, maxOutputTokens: 30 } }),
      settings("gemini"),
      "models/gemini-x",
      "G",
    );
    expect(call).toMatchObject({ path: "/v1beta/models/gemini-x:generateContent", headers: { "x-goog-api-key": "sk-test" } });
    expect(call.body).toEqual({
      contents: [
        {
          role: "user",
          parts: [
            { inline_data: { mime_type: "image/png", data: b64("PNGDATA") } },
            { inline_data: { mime_type: "application/pdf", data: b64("%PDF-1.7") } },
            { text: "Hello Ada" },
          ],
        },
      ],
      generationConfig: { temperature: 0.1, maxOutputTokens: 30, responseMimeType: "application/json", responseJsonSchema: schema },
    });
    expect(geminiWire.generate(request(), settings("gemini"), "g", "G").body).not.toHaveProperty("generationConfig");
  });

  test("candidates, usageMetadata, blocked prompts, error format, model list", () => {
    const answer = {
      candidates: [{ content: { parts: [{ text: "a" }, { text: "b" }] }, finishReason: "STOP" }],
      usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 2 },
    };
    expect(geminiWire.parseGeneration(answer, "G")).toEqual({ output: "ab", usage: { inputTokens: 8, outputTokens: 2 } });
    expect(() => geminiWire.parseGeneration({ promptFeedback: { blockReason: "SAFETY" } }, "G")).toThrow("Provider G blocked the prompt (SAFETY).");
    expect(geminiWire.errorMessage({ error: { code: 400, message: "API key not valid.", status: "INVALID_ARGUMENT" } })).toBe(
      "API key not valid. (INVALID_ARGUMENT)",
    );
    expect(
      geminiWire.parseModels({
        models: [
          { name: "models/gemini-a", supportedGenerationMethods: ["generateContent"] },
          { name: "models/embed", supportedGenerationMethods: ["embedContent"] },
        ],
      }),
    ).toEqual(["gemini-a"]);
  });
});

describe("ollama (/api/chat)", () => {
  test("not streamed, options object, images as base64, format = the schema; PDFs refused", () => {
    const call = ollamaWire.generate(request({ files: [png], responseSchema: schema, options: { num_predict: 10 } }), settings("ollama", ""), "llama", "L");
    expect(call).toMatchObject({ path: "/api/chat", headers: {} });
    expect(call.body).toEqual({
      model: "llama",
      stream: false,
      messages: [{ role: "user", content: "Hello Ada", images: [b64("PNGDATA")] }],
      options: { num_predict: 10 },
      format: schema,
    });
    expect(() => ollamaWire.generate(request({ files: [pdf] }), settings("ollama", ""), "llama", '"local" (ollama)')).toThrow(
      'Provider "local" (ollama) does not accept PDF files',
    );
  });

  test("message, eval counts, error string, tags", () => {
    expect(ollamaWire.parseGeneration({ message: { role: "assistant", content: "hey" }, prompt_eval_count: 26, eval_count: 3 }, "L")).toEqual({
      output: "hey",
      usage: { inputTokens: 26, outputTokens: 3 },
    });
    expect(ollamaWire.errorMessage({ error: 'model "x" not found, try pulling it first' })).toBe('model "x" not found, try pulling it first');
    expect(ollamaWire.parseModels({ models: [{ name: "llama3:8b" }] })).toEqual(["llama3:8b"]);
  });
});
