// CORS for the storage node's /files API, so the web client (a page of a gateway's origin) can
// upload with XMLHttpRequest, read its answer, and read ranges. The ticket in the URL or the
// Authorization header is the only credential (no cookies), so allowing an origin lets its pages do
// only what holding a ticket allows anyway; browsers never send credentials to a '*' answer.
// Preflights are checked: only the methods and headers the API uses pass.

export const CORS_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;
export const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'if-none-match', 'if-range', 'range', 'x-content-sha256'] as const;
const EXPOSE = 'Accept-Ranges, Content-Length, Content-Range, ETag, Location';
const MAX_AGE_S = 600;

/** The corsOrigins setting as a list ('*' allows any origin). */
export function parseCorsOrigins(setting: string): string[] {
  return setting.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

function allowOrigin(origin: string, allowed: readonly string[]): Record<string, string> | null {
  if (allowed.includes('*')) return { 'access-control-allow-origin': '*' };
  if (allowed.includes(origin)) return { 'access-control-allow-origin': origin, vary: 'Origin' };
  return null;
}

/** Headers to add to a /files response for a request with this Origin (none without one, or for an origin not allowed). */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (origin === undefined) return {};
  const allow = allowOrigin(origin, allowed);
  return allow ? { ...allow, 'access-control-expose-headers': EXPOSE } : {};
}

export type Preflight = { ok: true; headers: Record<string, string> } | { ok: false; message: string };

/** The answer to an OPTIONS preflight for /files. */
export function preflight(origin: string | undefined, method: string | undefined, requestHeaders: string | undefined, allowed: readonly string[]): Preflight {
  if (origin === undefined || method === undefined) return { ok: false, message: 'not a CORS preflight (Origin and Access-Control-Request-Method are required)' };
  const allow = allowOrigin(origin, allowed);
  if (!allow) return { ok: false, message: `origin ${origin} may not use this node from a browser (see --cors-origins)` };
  const m = method.trim().toUpperCase();
  if (!(CORS_METHODS as readonly string[]).includes(m)) return { ok: false, message: `method ${m} is not allowed; use one of ${CORS_METHODS.join(', ')}` };
  const asked = (requestHeaders ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  const refused = asked.filter((h) => !(CORS_REQUEST_HEADERS as readonly string[]).includes(h));
  if (refused.length) return { ok: false, message: `request header ${refused.join(', ')} is not allowed; allowed: ${CORS_REQUEST_HEADERS.join(', ')}` };
  return {
    ok: true,
    headers: {
      ...allow,
      'access-control-allow-methods': CORS_METHODS.join(', '),
      'access-control-allow-headers': CORS_REQUEST_HEADERS.join(', '),
      'access-control-max-age': String(MAX_AGE_S),
    },
  };
}
