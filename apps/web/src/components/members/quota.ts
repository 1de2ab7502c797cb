/** What a quota refusal carries besides its message (`error.data.quota`, see the API's errorFormatter). */
export interface QuotaInfo {
  resource: string;
  limit: number;
  current: number;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

export function quotaOf(error: unknown): QuotaInfo | null {
  const quota = record(record(record(error)?.data)?.quota);
  if (!quota) return null;
  const { resource, limit, current } = quota;
  return typeof resource === "string" && typeof limit === "number" && typeof current === "number" ? { resource, limit, current } : null;
}
