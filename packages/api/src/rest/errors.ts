/**
 * The error answers a REST operation documents (meta.openapi.errorResponses), by status. Every
 * operation can meet an unknown or unavailable workspace (400/404, 503), a missing or refused
 * credential (401/403, quotas are 403 with `data.quota`), the rate limit (429) and a server fault.
 */
const COMMON = {
  400: "The input is invalid, or the request names no workspace or two that disagree.",
  401: "No credential, or an unknown, revoked or expired API key or session.",
  403: "The credential belongs to another workspace, lacks the scope or role, or a quota is used up.",
  404: "The workspace (or the named object) does not exist.",
  429: "Too many requests: wait the seconds in Retry-After.",
  500: "The server failed; the request id (x-request-id) finds it in the log.",
  503: "The workspace is unavailable (maintenance refuses writes, or its database cannot be opened); see Retry-After and data.maintenance.",
} as const;

export const ERRORS = {
  read: COMMON,
  write: { ...COMMON, 409: "The change conflicts with the current state (a name already taken, an object removed meanwhile)." },
  upload: {
    ...COMMON,
    409: "The change conflicts with the current state.",
    413: "The request body or the file is larger than the limit.",
  },
} as const;
