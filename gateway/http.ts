// The HTTP edge: health, metrics, the least-loaded gateway list, WebSocket upgrades on /ws.
// Other areas add routes (admin API, the web client) through `HttpRoutes`.
import http from 'node:http';
import { metricsText, logger } from '../lib/mod.ts';
import { TroupeError, toWireError, type ErrorCode } from '../protocol/mod.ts';

/** A route's answer: JSON (the default), plain text, or bytes whose content-type is in `headers`. */
export interface RouteResult {
  status?: number;
  json?: unknown;
  text?: string;
  body?: Buffer;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: http.IncomingMessage, url: URL, params: string[]) => Promise<RouteResult>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
}

const log = logger('http');

const statusOf: Partial<Record<ErrorCode, number>> = {
  bad_request: 400, bad_json: 400, unauthenticated: 401, forbidden: 403, not_found: 404, conflict: 409,
  name_taken: 409, rate_limited: 429, timeout: 504, unavailable: 503, frame_too_large: 413, session_expired: 401, bad_credentials: 401,
};

export class HttpRoutes {
  private readonly routes: Route[] = [];

  add(method: string, path: string | RegExp, handler: RouteHandler): void {
    const pattern = typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path;
    this.routes.push({ method, pattern, handler });
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://gateway');
    } catch {
      return send(res, 400, { error: { code: 'bad_request', message: 'bad URL' } });
    }
    let allowed: string[] = [];
    for (const r of this.routes) {
      const match = r.pattern.exec(url.pathname);
      if (!match) continue;
      if (r.method !== req.method && !(r.method === 'GET' && req.method === 'HEAD')) {
        allowed.push(r.method);
        continue;
      }
      try {
        const out = await r.handler(req, url, match.slice(1));
        if (out.body !== undefined) {
          res.writeHead(out.status ?? 200, { ...(out.status === 304 ? {} : { 'content-length': out.body.length }), ...out.headers });
          res.end(req.method === 'HEAD' ? undefined : out.body);
        } else if (out.text !== undefined) {
          res.writeHead(out.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...out.headers });
          res.end(req.method === 'HEAD' ? undefined : out.text);
        } else {
          send(res, out.status ?? 200, out.json ?? {}, out.headers, req.method === 'HEAD');
        }
      } catch (e) {
        const err = toWireError(e);
        if (err.code === 'internal') log.error({ err: e, path: url.pathname }, 'HTTP handler failed');
        send(res, statusOf[err.code] ?? 500, { error: err });
      }
      return;
    }
    allowed = [...new Set(allowed)];
    if (allowed.length) return send(res, 405, { error: { code: 'bad_request', message: `use ${allowed.join(' or ')}` } }, { allow: allowed.join(', ') });
    send(res, 404, { error: { code: 'not_found', message: `no route ${url.pathname}` } });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, headOnly = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(headOnly ? undefined : text);
}

/** Reads a JSON request body up to `limit` bytes. */
export async function readJson(req: http.IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TroupeError('frame_too_large', `request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new TroupeError('bad_json', 'the request body is not JSON');
  }
}

export function metricsRoute(): RouteHandler {
  return async () => {
    const { contentType, body } = await metricsText();
    return { text: body, headers: { 'content-type': contentType } };
  };
}
