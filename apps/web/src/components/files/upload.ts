import type { AppRouter } from "@sigil/api";
import { TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { RouterInputs, RouterOutputs } from "@/trpc/types";

export type UploadInput = RouterInputs["files"]["upload"];
export type UploadedFile = RouterOutputs["files"]["upload"];
export type UploadClientError = TRPCClientError<AppRouter>;

/** MIME types the API accepts (`type/subtype`, no parameters); anything else is sent as bytes. */
const MIME_PATTERN = /^[\w.+-]+\/[\w.+-]+$/;

export function mimeTypeOf(file: { type: string }): string {
  return MIME_PATTERN.test(file.type) ? file.type : "application/octet-stream";
}

/** `tag one, tag-two ,, three` → ["tag one", "tag-two", "three"] (unique, in order). */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ""),
    ),
  ];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

function clientError(message: string, code: string, httpStatus: number): UploadClientError {
  return TRPCClientError.from<AppRouter>({ error: { message, code: -32603, data: { code, httpStatus } } });
}

/**
 * Reads the answer of a non-batched tRPC call (`{ result: { data } }` or `{ error }`, both
 * superjson-serialized) the way `httpLink` does, so errors carry the same `data` (code, zod field
 * errors, quota) and work with `errorMessage`, `fieldErrorsOf` and the session watcher.
 */
export function parseTrpcResponse<T>(status: number, body: string): { ok: true; data: T } | { ok: false; error: UploadClientError } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const message =
      status === 413
        ? "The file is too large for the server to accept."
        : status >= 500 || status === 0
          ? "The server could not be reached or failed. Try again."
          : `The server answered with HTTP ${status}.`;
    return { ok: false, error: clientError(message, status === 413 ? "PAYLOAD_TOO_LARGE" : "INTERNAL_SERVER_ERROR", status) };
  }
  const envelope = record(parsed);
  if (envelope && "error" in envelope) {
    const shape = record(superjson.deserialize(envelope.error as Parameters<typeof superjson.deserialize>[0]));
    if (shape && typeof shape.message === "string") {
      return { ok: false, error: TRPCClientError.from<AppRouter>({ error: shape as { message: string; code: number; data: never } }) };
    }
  }
  const result = record(envelope?.result);
  if (result && "data" in result) {
    return { ok: true, data: superjson.deserialize<T>(result.data as Parameters<typeof superjson.deserialize>[0]) };
  }
  return { ok: false, error: clientError(`The server answered with HTTP ${status} and no result.`, "INTERNAL_SERVER_ERROR", status) };
}

export interface UploadOptions {
  /** The tRPC endpoint the client uses (`/api/trpc` or `/tenant/<slug>/api/trpc`). */
  apiUrl: string;
  input: UploadInput;
  /** Bytes of the request body sent so far, and its total. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * `files.upload` over XMLHttpRequest, because fetch reports no upload progress: a non-batched
 * tRPC POST to `<endpoint>/files.upload` with the superjson-serialized input. Cookies and Origin
 * go with it as with the tRPC client's own calls. Rejects with a TRPCClientError.
 */
export function uploadWithProgress({ apiUrl, input, onProgress, signal }: UploadOptions): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${apiUrl}/files.upload`);
    xhr.setRequestHeader("content-type", "application/json");
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded, event.total);
    };
    xhr.onload = () => {
      const outcome = parseTrpcResponse<UploadedFile>(xhr.status, xhr.responseText);
      if (outcome.ok) resolve(outcome.data);
      else reject(outcome.error);
    };
    xhr.onerror = () =>
      reject(clientError("The upload was interrupted: the server could not be reached. Check your connection and try again.", "CLIENT_CLOSED_REQUEST", 0));
    xhr.onabort = () => reject(clientError("The upload was cancelled.", "CLIENT_CLOSED_REQUEST", 499));
    if (signal) {
      if (signal.aborted) {
        reject(clientError("The upload was cancelled.", "CLIENT_CLOSED_REQUEST", 499));
        return;
      }
      signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(JSON.stringify(superjson.serialize(input)));
  });
}

/** The bytes of a file as standard base64 (with padding), without the data-URL prefix. */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === "string" ? reader.result : "";
      const comma = url.indexOf(",");
      resolve(comma === -1 ? "" : url.slice(comma + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });
}

/** base64 → a Blob of `mimeType` (downloads: files.download returns the bytes as base64). */
export function base64ToBlob(base64: string, mimeType: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new Blob([bytes], { type: mimeType });
}

/** Saves a Blob under `name` through a temporary object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
