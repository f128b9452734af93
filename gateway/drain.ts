// The phases of a gateway's life as a statechart: serving, then (on SIGTERM) draining, where it
// accepts nothing new, tells every client to move and waits until they have gone or the grace
// period is over, then stopped, where the rest are closed. Pure: it emits what should happen
// (the gateway does the I/O) and keeps time with the actor's clock.
import { setup, emit } from 'xstate';

export type DrainReason = 'shutdown';

export type DrainEffect =
  /** Refuse new connections and leave the list of gateways clients are sent to. */
  | { type: 'stopAccepting' }
  /** Tell every connected client to move elsewhere. */
  | { type: 'announce'; reason: DrainReason; closeInMs: number; retryAfterMs: number }
  /** Close the connections still open. */
  | { type: 'closeAll' };

export type DrainEvent =
  /** `connections`: how many are open now. */
  | { type: 'drain'; reason: DrainReason; connections: number }
  /** The connections still open (reported as they close). */
  | { type: 'connections'; count: number }
  /** Stop now (also cuts a drain short). */
  | { type: 'stop' };

export interface DrainContext {
  graceMs: number;
}

export const gatewayPhases = setup({
  types: {
    context: {} as DrainContext,
    input: {} as { graceMs: number },
    events: {} as DrainEvent,
    emitted: {} as DrainEffect,
  },
  delays: { grace: ({ context }) => context.graceMs },
  guards: { nobodyLeft: ({ event }) => event.type === 'connections' && event.count === 0 },
}).createMachine({
  id: 'gateway',
  context: ({ input }) => ({ graceMs: input.graceMs }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        drain: [
          // nobody to tell: stop at once
          { guard: ({ event }) => event.connections === 0, target: 'stopped' },
          {
            target: 'draining',
            actions: [
              emit({ type: 'stopAccepting' }),
              // clients spread their reconnects over the first half of the grace period, so
              // thousands of them do not land on the other gateways in the same instant
              emit(({ context, event }) => ({ type: 'announce', reason: event.reason, closeInMs: context.graceMs, retryAfterMs: Math.floor(context.graceMs / 2) }) as const),
            ],
          },
        ],
        stop: 'stopped',
      },
    },
    draining: {
      after: { grace: 'stopped' },
      on: {
        connections: { guard: 'nobodyLeft', target: 'stopped' },
        stop: 'stopped',
      },
    },
    stopped: {
      type: 'final',
      entry: [emit({ type: 'stopAccepting' }), emit({ type: 'closeAll' })],
    },
  },
});
