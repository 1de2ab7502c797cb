import type { ProviderKind } from "@sigil/validators";
import { ExecutionFailure, type ProviderFile, type ProviderRequest, type ProviderResult } from "../provider.ts";
import { renderRequest } from "../template-provider.ts";
import type { ProviderSettings } from "./settings.ts";

/** One HTTP call a wire format asks for, relative to the provider's base URL. */
export interface WireCall {
  method: "GET" | "POST";
  /** Appended to the base URL (which may end with a path, e.g. https://api.openai.com/v1). */
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * One provider API's wire format: how to ask (generation, model list), how to read its answers and
 * its error bodies. Pure functions of their inputs, so each is unit-tested without a server; the
 * HTTP, retries and timeouts are HttpProvider's (http-provider.ts).
 */
export interface WireFormat {
  kind: ProviderKind;
  /** The generation request. `model` is resolved (the request's or the provider's default). */
  generate(request: ProviderRequest, settings: ProviderSettings, model: string, label: string): WireCall;
  /** Output and usage of a 2xx generation answer; throws ExecutionFailure when it is not one. */
  parseGeneration(body: unknown, label: string): ProviderResult;
  /** The provider's own error message in an error body, or null when the body is not its format. */
  errorMessage(body: unknown): string | null;
  listModels(settings: ProviderSettings): WireCall;
  parseModels(body: unknown): string[] | null;
}

/** The rendered template: what every provider sends as the user message. */
export function userText(request: ProviderRequest): string {
  return renderRequest(request);
}

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export type Attachment = { type: "image" | "pdf"; file: ProviderFile; mimeType: string; base64: string };

function normalisedType(file: ProviderFile): string {
  return file.mimeType.split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * The attached files a provider receives as binary parts: images and PDFs. Text files reach the
 * model through the template's `files` (template-provider.ts) and are not repeated; any other type
 * is refused, naming the provider, rather than silently dropped. `supports` says which of the two a
 * provider takes.
 */
export function binaryAttachments(files: readonly ProviderFile[], supports: { image: boolean; pdf: boolean }, label: string): Attachment[] {
  const attachments: Attachment[] = [];
  for (const file of files) {
    const mimeType = normalisedType(file);
    if (mimeType.startsWith("text/")) continue;
    const type = IMAGE_TYPES.has(mimeType) ? "image" : mimeType === "application/pdf" ? "pdf" : null;
    if (type === null) {
      throw new ExecutionFailure(
        `Provider ${label} cannot take the attached file "${file.name}" (${mimeType || "unknown type"}): only images (PNG, JPEG, GIF, WebP), PDFs and text files can be sent.`,
      );
    }
    if (!supports[type]) {
      throw new ExecutionFailure(`Provider ${label} does not accept ${type === "pdf" ? "PDF files" : "images"}; "${file.name}" cannot be sent to it.`);
    }
    attachments.push({ type, file, mimeType, base64: file.content.toString("base64") });
  }
  return attachments;
}

export function dataUrl(attachment: Attachment): string {
  return `data:${attachment.mimeType};base64,${attachment.base64}`;
}

/** A count from a usage block, or 0 when the provider left it out. */
export function tokens(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
