// The room actor's machine. A group room is `unborn` until created; a direct room (d<a>-<b>) is
// unborn until its first message. Once `live`, every entry gets the next sequence number.
import { setup, enqueueActions, emit } from 'xstate';
import { effects, type Effect, type EventMeta, type LoadedRows } from '../runtime/mod.ts';
import * as rules from './rules.ts';

type Ev = { meta: EventMeta } & (
  | { type: 'create'; by: number; name: string; description: string; open: boolean; invite: number[] }
  | { type: 'post'; from: number; body: string; clientMsgId: string; origin?: string; file?: string }
  | { type: 'edit'; by: number; target: number; body: string; origin?: string; loaded?: LoadedRows }
  | { type: 'recall'; by: number; target: number; origin?: string; loaded?: LoadedRows }
  | { type: 'join'; user: number }
  | { type: 'invite'; by: number; user: number }
  | { type: 'leave'; user: number }
  | { type: 'kick'; by: number; user: number }
  | { type: 'update'; by: number; name?: string; description?: string; open?: boolean }
  | { type: 'role'; by: number; user: number; role: 'admin' | 'member' }
  | { type: 'block'; by: number; on: boolean }
  | { type: 'info' }
  | { type: 'watchRoster'; user: number });

/** Applies a rule's outcome: the new context, then its effects in order, then what the room's
 * watch actor must hear of membership changes. (Typed loosely here: the machine's `setup` types
 * it where it is used.) */
const apply = (f: (ctx: rules.RoomContext, ev: Ev) => rules.Outcome) =>
  enqueueActions(({ context, event, enqueue }) => {
    const ctx = context as rules.RoomContext;
    const out = f(ctx, event as Ev);
    if (out.ctx !== ctx) enqueue.assign(() => out.ctx);
    for (const e of out.effects) enqueue.emit(e);
    for (const e of rules.rosterChanges(ctx, out.ctx)) enqueue.emit(e);
  }) as never;

const notFound = emit(() => effects.fail('not_found', 'no such room')) as never;

export function roomMachine(maxMembers: number) {
  return setup({
    types: { context: {} as rules.RoomContext, events: {} as Ev, emitted: {} as Effect, input: {} as { rid: string } },
    guards: {
      isDirect: ({ context }) => context.kind === 'direct',
      // a refused first message (blocked, not a member) leaves the conversation unborn
      directPostAccepted: ({ context, event }) => context.kind === 'direct'
        && !rules.post(context, { ...(event as Extract<Ev, { type: 'post' }>), at: event.meta.at }, false).effects.some((e) => e.type === 'fail'),
    },
  }).createMachine({
    id: 'room',
    context: ({ input }) => rules.initialContext(input.rid),
    initial: 'unborn',
    states: {
      unborn: {
        on: {
          create: [
            { guard: 'isDirect', actions: emit(() => effects.fail('bad_request', 'direct conversations start with a message')) as never },
            { target: 'live', actions: apply((c, e) => rules.create(c, { ...(e as Extract<Ev, { type: 'create' }>), at: e.meta.at }, maxMembers)) },
          ],
          post: [
            { guard: 'directPostAccepted', target: 'live', actions: apply((c, e) => rules.post(c, { ...(e as Extract<Ev, { type: 'post' }>), at: e.meta.at }, false)) },
            { guard: 'isDirect', actions: apply((c, e) => rules.post(c, { ...(e as Extract<Ev, { type: 'post' }>), at: e.meta.at }, false)) },
            { actions: notFound },
          ],
          block: { actions: apply((c, e) => rules.block(c, e as Extract<Ev, { type: 'block' }>)) },
          info: { actions: notFound },
          '*': { actions: notFound },
        },
      },
      live: {
        on: {
          create: { actions: emit(() => effects.fail('conflict', 'the room exists')) },
          post: { actions: apply((c, e) => rules.post(c, { ...(e as Extract<Ev, { type: 'post' }>), at: e.meta.at }, true)) },
          // the target entry's facts come from the room's own rows (loaded by the runtime: mod.ts)
          edit: { actions: apply((c, e) => rules.amend(c, { ...(e as Extract<Ev, { type: 'edit' }>), kind: 'edit', entry: rules.entryFacts((e as Extract<Ev, { type: 'edit' }>).loaded), at: e.meta.at })) },
          recall: { actions: apply((c, e) => rules.amend(c, { ...(e as Extract<Ev, { type: 'recall' }>), kind: 'recall', entry: rules.entryFacts((e as Extract<Ev, { type: 'recall' }>).loaded), at: e.meta.at })) },
          join: { actions: apply((c, e) => rules.join(c, { ...(e as Extract<Ev, { type: 'join' }>), at: e.meta.at }, maxMembers)) },
          invite: { actions: apply((c, e) => rules.invite(c, { ...(e as Extract<Ev, { type: 'invite' }>), at: e.meta.at }, maxMembers)) },
          leave: { actions: apply((c, e) => rules.leave(c, { ...(e as Extract<Ev, { type: 'leave' }>), at: e.meta.at })) },
          kick: { actions: apply((c, e) => rules.kick(c, { ...(e as Extract<Ev, { type: 'kick' }>), at: e.meta.at })) },
          update: { actions: apply((c, e) => rules.update(c, { ...(e as Extract<Ev, { type: 'update' }>), at: e.meta.at })) },
          role: { actions: apply((c, e) => rules.setRole(c, { ...(e as Extract<Ev, { type: 'role' }>), at: e.meta.at })) },
          block: { actions: apply((c, e) => rules.block(c, e as Extract<Ev, { type: 'block' }>)) },
          watchRoster: { actions: apply((c, e) => rules.watchRoster(c, e as Extract<Ev, { type: 'watchRoster' }>)) },
          info: {
            actions: emit(({ context }) => effects.reply({
              room: rules.summary(context), seq: context.seq,
              members: Object.entries(context.members).map(([u, m]) => ({ user: Number(u), role: m.r })),
            })),
          },
        },
      },
    },
  });
}
