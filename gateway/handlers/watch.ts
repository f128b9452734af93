// watch.* and library.list: where a viewer's frame becomes a message to the room's watch actor
// (act.watch.<p>.<rid>). The authenticated user and this connection are stamped here; membership,
// roles and the timeline are the actor's to judge. Movies are resolved by svc.library.media, read
// tickets come from svc.files.stream (the group actor places the viewer on a media server).
import { callService } from '../../lib/mod.ts';
import { TroupeError, refusal, type Timeline, type WatchSettings, type Viewer } from '../../protocol/mod.ts';
import type { HandlerTable, HandlerContext } from './context.ts';

const me = (ctx: HandlerContext) => ctx.conn.session!.user;
const ask = <T = Record<string, unknown>>(ctx: HandlerContext, rid: string, body: { type: string; [k: string]: unknown }) =>
  ctx.gw.actors.ask<T>('watch', rid, body, { timeoutMs: ctx.gw.requestTimeoutMs });
const svc = <N extends Parameters<typeof callService>[1]>(ctx: HandlerContext, name: N, body: Parameters<typeof callService<N>>[2]) =>
  callService(ctx.gw.nc, name, body, ctx.gw.requestTimeoutMs);

type View = { timeline: Timeline; settings: WatchSettings; viewers: Viewer[]; viewersRev: number };

/**
 * Asks the watch actor something only members may. The first time a room is watched its actor has
 * no roster yet and refuses with `not_found`: then the room actor is asked to send it (it checks
 * that the user is a member, and refuses `not_found` for a room that does not exist), and the
 * question is asked again once the roster has arrived through the room's outbox.
 */
async function askAsMember<T>(ctx: HandlerContext, rid: string, body: { type: string; [k: string]: unknown }): Promise<T> {
  try {
    return await ask<T>(ctx, rid, body);
  } catch (e) {
    if (!(e instanceof TroupeError) || e.code !== 'not_found') throw e;
  }
  await ctx.gw.actors.ask('room', rid, { type: 'watchRoster', user: me(ctx).id }, { timeoutMs: ctx.gw.requestTimeoutMs });
  const deadline = Date.now() + ctx.gw.requestTimeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await ask<T>(ctx, rid, body);
    } catch (e) {
      if (!(e instanceof TroupeError) || e.code !== 'not_found' || Date.now() + delay > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

type WatchOps = 'watch.join' | 'watch.leave' | 'watch.state' | 'watch.load' | 'watch.play' | 'watch.pause' | 'watch.seek' | 'watch.rate'
  | 'watch.ready' | 'watch.stall' | 'watch.report' | 'watch.source' | 'watch.settings' | 'library.list';

type ControlAnswer = { timeline: Timeline; pending?: boolean };

export const watchHandlers: HandlerTable<WatchOps> = {
  async 'watch.join'(ctx, req) {
    const { conn, gw } = ctx;
    // listening before the join is decided, so nothing published after it is missed
    const watching = gw.sessions.watch.has(conn, req.room);
    gw.sessions.watch.add(conn, req.room);
    await gw.nc.flush();
    try {
      return await askAsMember(ctx, req.room, { type: 'join', user: me(ctx).id, name: me(ctx).name, conn: conn.key, gateway: gw.instance });
    } catch (e) {
      if (!watching) gw.sessions.watch.remove(conn, req.room);
      throw e;
    }
  },
  async 'watch.leave'(ctx, req) {
    ctx.gw.sessions.watch.remove(ctx.conn, req.room);
    await ask(ctx, req.room, { type: 'leave', conn: ctx.conn.key });
    return {};
  },
  async 'watch.state'(ctx, req) {
    return askAsMember<View>(ctx, req.room, { type: 'state', user: me(ctx).id });
  },
  async 'watch.load'(ctx, req) {
    if ((req.library === undefined) === (req.entry === undefined)) throw refusal('watch.load', 'bad_request', 'give exactly one of library and entry');
    const { media, location } = await svc(ctx, 'svc.library.media', { user: me(ctx).id, room: req.room, ...(req.library ? { library: req.library } : {}), ...(req.entry !== undefined ? { entry: req.entry } : {}) });
    // a room file has no length on record: the loader may know it (its player read the metadata)
    const known = media.durationMs || req.durationMs || 0;
    return ask<ControlAnswer>(ctx, req.room, { type: 'load', by: me(ctx).id, epoch: req.epoch, media: { ...media, durationMs: known }, location });
  },
  async 'watch.play'(ctx, req) {
    return ask<ControlAnswer>(ctx, req.room, { type: 'play', by: me(ctx).id, epoch: req.epoch });
  },
  async 'watch.pause'(ctx, req) {
    return ask<ControlAnswer>(ctx, req.room, { type: 'pause', by: me(ctx).id, epoch: req.epoch });
  },
  async 'watch.seek'(ctx, req) {
    return ask<ControlAnswer>(ctx, req.room, { type: 'seek', by: me(ctx).id, epoch: req.epoch, position: req.position });
  },
  async 'watch.rate'(ctx, req) {
    return ask<ControlAnswer>(ctx, req.room, { type: 'rate', by: me(ctx).id, epoch: req.epoch, rate: req.rate });
  },
  async 'watch.ready'(ctx, req) {
    await ask(ctx, req.room, { type: 'ready', user: me(ctx).id, conn: ctx.conn.key, epoch: req.epoch, ...(req.rttMs !== undefined ? { rttMs: req.rttMs } : {}), ...(req.start ? { start: req.start } : {}) });
    return {};
  },
  async 'watch.stall'(ctx, req) {
    await ask(ctx, req.room, { type: 'stall', user: me(ctx).id, conn: ctx.conn.key, epoch: req.epoch });
    return {};
  },
  async 'watch.report'(ctx, req) {
    // ephemeral: relayed by a host (gateways publish no events), only for a connection watching the room
    if (!ctx.gw.sessions.watch.has(ctx.conn, req.room)) throw refusal('watch.report', 'forbidden', 'this connection is not watching the room (watch.join first)');
    await svc(ctx, 'svc.watch.report', { user: me(ctx).id, room: req.room, viewer: ctx.conn.key, position: req.position, driftMs: req.driftMs, status: req.status });
    return {};
  },
  async 'watch.source'(ctx, req) {
    const s = await ask<{ file: string; version: number }>(ctx, req.room, { type: 'source', user: me(ctx).id, conn: ctx.conn.key });
    try {
      return await svc(ctx, 'svc.files.stream', { fileId: s.file, forUser: me(ctx).id, room: req.room, viewer: ctx.conn.key, version: s.version, ...(req.avoid ? { avoid: req.avoid } : {}) });
    } catch (e) {
      // the placement says this viewer is gone (it left meanwhile), or the movie's file is
      if (e instanceof TroupeError && e.code === 'not_found') throw refusal('watch.source', 'forbidden', `this connection no longer watches the room, or its movie is gone: ${e.message}`);
      throw e;
    }
  },
  async 'watch.settings'(ctx, req) {
    if (req.control === undefined && req.pauseForStalls === undefined) throw refusal('watch.settings', 'bad_request', 'change at least one of control, pauseForStalls');
    return askAsMember(ctx, req.room, { type: 'settings', by: me(ctx).id, ...(req.control ? { control: req.control } : {}), ...(req.pauseForStalls !== undefined ? { pauseForStalls: req.pauseForStalls } : {}) });
  },
  async 'library.list'(ctx, req) {
    return svc(ctx, 'svc.library.list', { query: req.query ?? '', ...(req.cursor ? { cursor: req.cursor } : {}), limit: req.limit ?? 50 });
  },
};
