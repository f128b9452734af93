// The admin HTTP API (TeamTalk's http_msg_server): system messages, rooms, who is online.
// Off unless TROUPE_ADMIN_TOKEN is set; every call needs `Authorization: Bearer <token>`.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { callService } from '../lib/mod.ts';
import { AdminMessage, AdminRoom, AdminLibraryItem, TroupeError, validate, isValid, FileId } from '../protocol/mod.ts';
import type { HttpRoutes } from './http.ts';
import { readJson } from './http.ts';
import type { GatewayLinks } from './handlers/mod.ts';
import { newRoomId, requireUsersExist } from './handlers/chat.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

function authorize(req: http.IncomingMessage, token: string): void {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!given || !timingSafeEqual(digest(given), digest(token))) throw new TroupeError('unauthenticated', 'admin API: send Authorization: Bearer <TROUPE_ADMIN_TOKEN>');
}

export function adminRoutes(routes: HttpRoutes, links: () => GatewayLinks, token: string): void {
  const guarded = (handler: (req: http.IncomingMessage, url: URL) => Promise<unknown>) => async (req: http.IncomingMessage, url: URL) => {
    authorize(req, token);
    return { json: await handler(req, url) };
  };

  routes.add('POST', '/api/admin/messages', guarded(async (req) => {
    const body = validate(AdminMessage, await readJson(req), 'bad_request', 'message');
    if ((body.to === undefined) === (body.room === undefined)) throw new TroupeError('bad_request', 'give exactly one of to and room');
    const gw = links();
    if (body.to !== undefined) await requireUsersExist(gw, [body.to]);
    const rid = body.to !== undefined ? `d0-${body.to}` : body.room!;
    const clientMsgId = body.clientMsgId ?? randomUUID();
    return gw.actors.ask('room', rid, { type: 'post', from: 0, body: body.body, clientMsgId }, { key: `admin:${rid}:${clientMsgId}`, timeoutMs: gw.requestTimeoutMs });
  }));

  routes.add('POST', '/api/admin/rooms', guarded(async (req) => {
    const body = validate(AdminRoom, await readJson(req), 'bad_request', 'room');
    const gw = links();
    const invite = [...new Set(body.members ?? [])].filter((u) => u !== body.owner);
    await requireUsersExist(gw, [body.owner, ...invite]);
    return gw.actors.ask('room', newRoomId(), { type: 'create', by: body.owner, name: body.name, description: body.description ?? '', open: body.open ?? false, invite }, { timeoutMs: gw.requestTimeoutMs });
  }));

  routes.add('POST', '/api/admin/library', guarded(async (req) => {
    const body = validate(AdminLibraryItem, await readJson(req), 'bad_request', 'library item');
    return callService(links().nc, 'svc.library.publish', body, links().requestTimeoutMs);
  }));

  routes.add('DELETE', /^\/api\/admin\/library\/([^/]+)$/, guarded(async (_req, url) => {
    const file = decodeURIComponent(url.pathname.slice('/api/admin/library/'.length));
    if (!isValid(FileId, file)) throw new TroupeError('bad_request', `not a file id: ${file}`);
    return callService(links().nc, 'svc.library.unpublish', { file }, links().requestTimeoutMs);
  }));

  routes.add('GET', '/api/admin/library', guarded(async (_req, url) => {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new TroupeError('bad_request', 'limit: a whole number from 1 to 200');
    const query = url.searchParams.get('query') ?? '';
    const cursor = url.searchParams.get('cursor') ?? undefined;
    if (query.length > 100 || (cursor?.length ?? 0) > 1200) throw new TroupeError('bad_request', 'query (100) or cursor (1200 characters) too long');
    return callService(links().nc, 'svc.library.list', { query, limit, ...(cursor ? { cursor } : {}) }, links().requestTimeoutMs);
  }));

  routes.add('GET', '/api/admin/online', guarded(async (_req, url) => {
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const after = Number(url.searchParams.get('after') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new TroupeError('bad_request', 'limit: a whole number from 1 to 1000');
    if (!Number.isInteger(after) || after < 0) throw new TroupeError('bad_request', 'after: a user id');
    const { users } = await callService(links().nc, 'svc.presence.online', { after, limit }, links().requestTimeoutMs);
    return { users, ...(users.length === limit ? { next: users[users.length - 1].user.id } : {}) };
  }));
}
