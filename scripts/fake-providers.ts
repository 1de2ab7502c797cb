/**
 * Starts the fake OpenAI-compatible and Anthropic servers of the tests (packages/api/test/fakes)
 * on 127.0.0.1, for trying Sigil against "real" providers without the internet:
 *
 *   pnpm fakes                     # OpenAI-compatible on 4011, Anthropic on 4012
 *   pnpm fakes --openai 5001 --anthropic 5002 --key sk-demo
 *
 * Sigil only connects to them when the operator allows them: SIGIL_OUTBOUND_ALLOW=127.0.0.1:4011,127.0.0.1:4012.
 * Stops on Ctrl-C.
 */
import { parseArgs } from "node:util";
import { startFakeAnthropic } from "../packages/api/test/fakes/anthropic.ts";
import { startFakeOpenAI } from "../packages/api/test/fakes/openai.ts";

const { values } = parseArgs({
  options: {
    openai: { type: "string", default: "4011" },
    anthropic: { type: "string", default: "4012" },
    key: { type: "string" },
  },
});

function port(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    console.error(`--${name} must be a port number (1-65535); got "${raw}".`);
    process.exit(2);
  }
  return value;
}

const apiKey = values.key ?? null;
const openai = await startFakeOpenAI({ port: port("openai", values.openai), apiKey });
const anthropic = await startFakeAnthropic({ port: port("anthropic", values.anthropic), apiKey });
console.log(`Fake OpenAI-compatible server: ${openai.url}/v1   (kind "openai-compatible" or "openai", base URL ${openai.url}/v1)`);
console.log(`Fake Anthropic server:         ${anthropic.url}   (kind "anthropic", base URL ${anthropic.url})`);
console.log(apiKey === null ? "Any API key is accepted." : `Only the key "${apiKey}" is accepted.`);
console.log(`Let Sigil reach them: SIGIL_OUTBOUND_ALLOW=127.0.0.1:${openai.port},127.0.0.1:${anthropic.port}`);

const stop = () => {
  void Promise.all([openai.close(), anthropic.close()]).then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
