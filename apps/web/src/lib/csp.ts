/**
 * The Content-Security-Policy of every page. Scripts run only with this request's nonce (Next
 * puts it on its own scripts when it finds it in the request's CSP header, see src/proxy.ts) and
 * what those scripts load ('strict-dynamic'): an injected `<script>` or inline handler never runs.
 * Styles may be inline (React's `style` props, the charts); they cannot run code.
 * Development adds 'unsafe-eval' (React's dev tools and Turbopack's hot reload need it).
 */
export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh, unguessable nonce for one response (128 random bits, base64). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
