// The actor kind simulations and the actors benchmark run: a counter that can add, take what its
// total covers (refused otherwise), move amounts to another counter (through the outbox) and arm
// deadlines (timers).
import { setup, assign, emit, enqueueActions } from 'xstate';
import { T, Obj } from '../../../protocol/mod.ts';
import { defineKind, effects, type Effect, type EventMeta } from '../kind.ts';

export const CounterMessage = T.Union([
  Obj({ type: T.Literal('add'), n: T.Integer() }),
  Obj({ type: T.Literal('forward'), to: T.String({ minLength: 1, maxLength: 64 }), n: T.Integer() }),
  Obj({ type: T.Literal('arm'), in: T.Integer({ minimum: 0 }) }),
  Obj({ type: T.Literal('take'), n: T.Integer({ minimum: 1 }) }),
  Obj({ type: T.Literal('get') }),
]);

interface Ctx {
  total: number;
  applied: number;
  armed: number;
  fired: number;
  deadlines: Record<string, number>;
}

type Ev = { meta: EventMeta } & (
  | { type: 'add'; n: number }
  | { type: 'forward'; to: string; n: number }
  | { type: 'arm'; in: number }
  | { type: 'take'; n: number }
  | { type: 'get' }
  | { type: 'timer'; name: string });

export const counterMachine = setup({
  types: { context: {} as Ctx, events: {} as Ev, emitted: {} as Effect },
}).createMachine({
  id: 'counter',
  context: { total: 0, applied: 0, armed: 0, fired: 0, deadlines: {} },
  on: {
    add: {
      actions: [
        assign({ total: ({ context, event }) => context.total + event.n, applied: ({ context }) => context.applied + 1 }),
        emit(({ context }) => effects.reply({ total: context.total })),
      ],
    },
    forward: {
      actions: [
        assign({ total: ({ context, event }) => context.total - event.n, applied: ({ context }) => context.applied + 1 }),
        enqueueActions(({ enqueue, context, event }) => {
          enqueue.emit(effects.send('counter', event.to, { type: 'add', n: event.n }));
          enqueue.emit(effects.reply({ total: context.total }));
        }),
      ],
    },
    arm: {
      actions: [
        assign(({ context, event }) => ({
          armed: context.armed + 1,
          applied: context.applied + 1,
          deadlines: { ...context.deadlines, [`t${context.armed + 1}`]: event.meta.at + event.in },
        })),
        emit(({ context }) => effects.reply({ armed: context.armed })),
      ],
    },
    // refused (and so judged afresh when the same key comes again) until the total covers it
    take: [
      {
        guard: ({ context, event }) => context.total >= event.n,
        actions: [
          assign({ total: ({ context, event }) => context.total - event.n, applied: ({ context }) => context.applied + 1 }),
          emit(({ context }) => effects.reply({ total: context.total })),
        ],
      },
      { actions: emit(({ context, event }) => effects.fail('conflict', `the total ${context.total} does not cover ${event.n}`)) },
    ],
    get: { actions: emit(({ context }) => effects.reply({ total: context.total, applied: context.applied, armed: context.armed, fired: context.fired })) },
    timer: {
      actions: assign(({ context, event }) => {
        const { [event.name]: _done, ...rest } = context.deadlines;
        return { fired: context.fired + 1, deadlines: rest };
      }),
    },
  },
});

export const counterKind = defineKind({
  kind: 'counter',
  machine: counterMachine,
  version: 1,
  messages: CounterMessage,
  queries: ['get'],
});
