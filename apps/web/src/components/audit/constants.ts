/** Audit entries per page (the server page prefetches with the same input). */
export const AUDIT_PAGE_SIZE = 25;

/** Quick filters: the action families the API records. */
export const AUDIT_PREFIXES = ["auth.", "user.", "api_key.", "prompt.", "deployment.", "file.", "settings.", "tenant."] as const;
