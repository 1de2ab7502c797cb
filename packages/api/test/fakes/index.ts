export { startFakeAnthropic, anthropicFakeWire } from "./anthropic.ts";
export { startFakeGemini, geminiFakeWire } from "./gemini.ts";
export { startFakeOllama, ollamaFakeWire } from "./ollama.ts";
export { startFakeOpenAI, openAIFakeWire } from "./openai.ts";
export { FAKE_MODELS, startFake, type FakeOptions, type FakeProvider, type FakeWire, type Misbehaviour, type RecordedRequest } from "./server.ts";
