import { usageError } from "./errors.ts";

/** The first line of stdin (a password piped in: `printf '%s\n' "$PW" | sigil …`), never echoed. */
export async function readSecretLine(what: string): Promise<string> {
  if (process.stdin.isTTY) throw usageError(`--password-stdin reads the ${what} from a pipe, not a terminal: printf '%s\\n' "$PASSWORD" | pnpm sigil …`);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const line = Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  if (line === "") throw usageError(`--password-stdin: stdin held no ${what}.`);
  return line;
}
