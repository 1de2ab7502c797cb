export { anthropicWire, ANTHROPIC_VERSION, STRUCTURED_TOOL } from "./anthropic.ts";
export { geminiWire } from "./gemini.ts";
export { DEFAULT_PROVIDER_TIMEOUT_MS, HttpProvider, WIRE_FORMATS, type HttpProviderOptions } from "./http-provider.ts";
export { ollamaWire } from "./ollama.ts";
export { openAIChatWire, openAICompatibleWire } from "./openai-chat.ts";
export { openAIResponsesWire } from "./openai-responses.ts";
export { isRetryableStatus, MAX_PROVIDER_ATTEMPTS, MAX_RETRY_DELAY_MS, parseRetryAfter, retryDelayMs } from "./retry.ts";
export { KeyedSemaphore } from "./semaphore.ts";
export {
  loadProviderSettings,
  providerSettingsSchema,
  settingsOfRow,
  storedProvider,
  storedProviderSchema,
  type ProviderSettings,
  type StoredProvider,
} from "./settings.ts";
export type { WireCall, WireFormat } from "./wire.ts";
