// The user actor's machine: presence (connections per device) and friendships. Pure: effects are
// emitted, the runtime applies them.
import { setup, enqueueActions, emit } from 'xstate';
import { subjects } from '../../protocol/mod.ts';
import { effects, type Effect, type EventMeta } from '../runtime/mod.ts';
import { connect, disconnect, dropGateway, deviceTypes, type Conns } from './presence.ts';
import * as friends from './friends.ts';

export interface UserContext extends friends.FriendsState {
  conns: Conns;
  lastSeenAt: number;
}

type Device = { type: string; name?: string };
export type UserEvent = { meta: EventMeta } & (
  | { type: 'connect'; conn: string; gateway: string; session: number; device: Device; name?: string }
  | { type: 'disconnect'; conn: string }
  | { type: 'gatewayDown'; gateway: string }
  | { type: 'presence' }
  | { type: 'friendRequest'; to: number; toName: string; fromName: string }
  | { type: 'friendAccept'; user: number }
  | { type: 'friendDecline'; user: number }
  | { type: 'friendRemove'; user: number }
  | { type: 'block'; user: number; name: string }
  | { type: 'unblock'; user: number }
  | { type: 'peerRequest'; from: number; name: string }
  | { type: 'peerAccept'; from: number }
  | { type: 'peerDecline'; from: number }
  | { type: 'peerRemove'; from: number }
  | { type: 'peerBlock'; from: number; on: boolean });

/** The domain write that mirrors connections into user_connections and user_presence. */
function presenceWrite(ctx: UserContext, conns: Conns, at: number): Effect {
  return effects.write('connections', { userId: ctx.uid, conns, lastSeenAt: at });
}

/** Friends hear when the set of devices (and so online or not) changes. */
function presencePushes(ctx: UserContext, before: Conns, after: Conns): Effect[] {
  const was = deviceTypes(before).join();
  const now = deviceTypes(after).join();
  if (was === now) return [];
  const body = { push: { op: 'presence', user: ctx.uid, online: Object.keys(after).length > 0, devices: deviceTypes(after) } };
  return friends.friendIds(ctx).map((f) => effects.publish(subjects.userEvents(f), body));
}

/** Applies a connection change: context, presence row, pushes to friends. */
function connsChanged(ctx: UserContext, conns: Conns, at: number, extra: Effect[] = []): { ctx: UserContext; effects: Effect[] } {
  if (conns === ctx.conns) return { ctx, effects: [] };
  return { ctx: { ...ctx, conns, lastSeenAt: at }, effects: [...extra, presenceWrite(ctx, conns, at), ...presencePushes(ctx, ctx.conns, conns)] };
}

const apply = (f: (ctx: UserContext, ev: UserEvent) => { ctx: UserContext; effects: Effect[] }) =>
  enqueueActions(({ context, event, enqueue }) => {
    const ctx = context as UserContext;
    const out = f(ctx, event as UserEvent);
    if (out.ctx !== ctx) enqueue.assign(() => out.ctx);
    for (const e of out.effects) enqueue.emit(e);
  }) as never;

const fr = (f: (st: friends.FriendsState, ev: UserEvent) => friends.FriendOutcome) =>
  apply((ctx, ev) => {
    const r = f(ctx, ev);
    return { ctx: r.state === ctx ? ctx : { ...ctx, ...r.state }, effects: r.effects };
  });

/** Peer messages count only when the runtime says another user actor sent them. */
const fromPeer = (ev: UserEvent & { from: number }) => ev.meta.from === `user.${ev.from}`;

export function userMachine(maxDevices: number) {
  return setup({
    types: { context: {} as UserContext, events: {} as UserEvent, emitted: {} as Effect, input: {} as { uid: number } },
    guards: { fromPeer: ({ event }) => fromPeer(event as UserEvent & { from: number }) },
  }).createMachine({
    id: 'user',
    context: ({ input }) => ({ uid: input.uid, name: '', conns: {}, lastSeenAt: 0, friends: {}, blockedBy: {} }),
    on: {
      connect: {
        actions: apply((ctx, ev) => {
          const e = ev as Extract<UserEvent, { type: 'connect' }>;
          const { conns, kicked } = connect(ctx.conns, e.conn, { gateway: e.gateway, session: e.session, device: e.device, since: e.meta.at }, maxDevices);
          const kicks = kicked.map((k) => effects.publish(subjects.userEvents(ctx.uid), { close: { conn: k, code: 'kicked', message: `a newer ${e.device.type} login took over this session` } }));
          const out = connsChanged(ctx, conns, e.meta.at, kicks);
          return e.name && e.name !== out.ctx.name ? { ctx: { ...out.ctx, name: e.name }, effects: out.effects } : out;
        }),
      },
      disconnect: { actions: apply((ctx, ev) => connsChanged(ctx, disconnect(ctx.conns, (ev as { conn: string }).conn), ev.meta.at)) },
      gatewayDown: {
        actions: apply((ctx, ev) => {
          const conns = dropGateway(ctx.conns, (ev as { gateway: string }).gateway);
          return Object.keys(conns).length === Object.keys(ctx.conns).length ? { ctx, effects: [] } : connsChanged(ctx, conns, ev.meta.at);
        }),
      },
      presence: {
        actions: emit(({ context }) => effects.reply({ online: Object.keys(context.conns).length > 0, devices: deviceTypes(context.conns) })),
      },
      friendRequest: { actions: fr((st, ev) => { const e = ev as Extract<UserEvent, { type: 'friendRequest' }>; return friends.request(st, e.to, e.toName, e.fromName); }) },
      friendAccept: { actions: fr((st, ev) => friends.accept(st, (ev as { user: number }).user)) },
      friendDecline: { actions: fr((st, ev) => friends.decline(st, (ev as { user: number }).user)) },
      friendRemove: { actions: fr((st, ev) => friends.remove(st, (ev as { user: number }).user)) },
      block: { actions: fr((st, ev) => friends.block(st, (ev as { user: number }).user, (ev as { name: string }).name)) },
      unblock: { actions: fr((st, ev) => friends.unblock(st, (ev as { user: number }).user)) },
      peerRequest: { guard: 'fromPeer', actions: fr((st, ev) => friends.peerRequest(st, (ev as { from: number }).from, (ev as { name: string }).name)) },
      peerAccept: { guard: 'fromPeer', actions: fr((st, ev) => friends.peerAccept(st, (ev as { from: number }).from)) },
      peerDecline: { guard: 'fromPeer', actions: fr((st, ev) => friends.peerEnd(st, (ev as { from: number }).from, ['incoming', 'outgoing'])) },
      peerRemove: { guard: 'fromPeer', actions: fr((st, ev) => friends.peerEnd(st, (ev as { from: number }).from, ['friend'])) },
      peerBlock: { guard: 'fromPeer', actions: fr((st, ev) => friends.peerBlock(st, (ev as { from: number }).from, (ev as { on: boolean }).on)) },
    },
  });
}
