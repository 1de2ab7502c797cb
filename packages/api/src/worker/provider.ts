/** A file attached to an execution, as a provider receives it. */
export interface ProviderFile {
  name: string;
  mimeType: string;
  content: Buffer;
}

/** What a provider is asked to run: the prompt version's template, not yet rendered. */
export interface ProviderRequest {
  /** The prompt version's Mustache template. */
  template: string;
  /** The execution's input (template variables). */
  input: Record<string, unknown>;
  /** The execution's model; empty means "the provider's default". */
  model: string;
  files: ProviderFile[];
  /** Provider options (temperature, max tokens, …) from the execution's deployment, else `{}`. */
  options: Record<string, unknown>;
  /** The prompt version's response JSON Schema, if it has one. */
  responseSchema: Record<string, unknown> | null;
}

/** Tokens the provider's usage block reported for one run. */
export interface ProviderUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ProviderResult {
  output: string;
  /** Absent when the provider reported no usage: the execution then has no tokens and no cost. */
  usage?: ProviderUsage;
}

/**
 * Runs one execution. A provider reports failure by throwing (or rejecting) with a message that is
 * safe to show the tenant: it is stored as the execution's error. It must stop when `signal` aborts;
 * the worker also stops waiting for it then.
 */
export interface ExecutionProvider {
  name: string;
  /**
   * The provider module ("openai", "openai-responses", "anthropic", "gemini", "ollama",
   * "openai-compatible"; the built-in "template"): which price table prices its tokens.
   */
  kind: string;
  run(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult>;
}

/** A failure whose message was written for the tenant (no secrets, no internals). */
export class ExecutionFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ExecutionFailure";
  }
}

const MAX_ERROR_LENGTH = 2_000;

/** The message stored as an execution's error, for anything a provider may throw. */
export function errorMessage(error: unknown): string {
  let message: string;
  if (error instanceof Error) message = error.message || error.name;
  else if (typeof error === "string") message = error;
  else message = `The provider failed with a non-error value (${typeof error}).`;
  message = message.trim() || "The provider failed without a message.";
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}
