/** Token counts a provider reported for one execution. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface TokenPrice {
  inputUsdPerMillion: number;
  outputUsdPerMillion: number;
}

/**
 * Costs are kept to the nano-dollar (10^-9 USD): finer digits are floating-point noise, and a
 * cheap model's single token (e.g. $0.05 per million = $0.00000005) still shows.
 */
const COST_DECIMALS = 9;

/** What an execution cost in US dollars: each token count times its price per million tokens. */
export function costOf(usage: TokenUsage, price: TokenPrice): number {
  const usd = (usage.inputTokens * price.inputUsdPerMillion + usage.outputTokens * price.outputUsdPerMillion) / 1_000_000;
  return roundUsd(usd);
}

export function roundUsd(usd: number): number {
  return Number(usd.toFixed(COST_DECIMALS));
}
