// The phases of the web client's connection, as a statechart: signed out (the login form),
// signing in, resuming a stored session, online, reconnecting (with the next attempt's delay),
// kicked by a newer login of the same device type (waits for the user; never reconnects by itself).
import { setup, assign } from 'xstate';

export interface ConnectionContext {
  /** Why the user is looking at the login form again (session ended, signed out…). */
  notice: string;
  /** The error of the last sign-in attempt. */
  error: string;
  /** Reconnect attempt and its delay while reconnecting or resuming. */
  attempt: number;
  delayMs: number;
  /** Why the connection dropped. */
  reason: string;
}

export type ConnectionEvent =
  | { type: 'SIGN_IN' }
  | { type: 'SIGNED_IN' }
  | { type: 'SIGN_IN_FAILED'; error: string }
  | { type: 'RESUME' }
  | { type: 'RESUMED' }
  | { type: 'UNREACHABLE'; attempt: number; delayMs: number }
  | { type: 'EXPIRED' }
  | { type: 'DISCONNECTED'; reason: string }
  | { type: 'RECONNECTING'; attempt: number; delayMs: number }
  | { type: 'RECONNECTED' }
  | { type: 'KICKED' }
  | { type: 'SIGN_OUT'; notice?: string };

const initial: ConnectionContext = { notice: '', error: '', attempt: 0, delayMs: 0, reason: '' };

export const connectionMachine = setup({
  types: { context: {} as ConnectionContext, events: {} as ConnectionEvent },
}).createMachine({
  id: 'connection',
  context: initial,
  initial: 'signedOut',
  states: {
    signedOut: {
      on: {
        SIGN_IN: { target: 'signingIn', actions: assign({ error: '', notice: '' }) },
        RESUME: { target: 'resuming', actions: assign({ attempt: 0, delayMs: 0 }) },
      },
    },
    signingIn: {
      on: {
        SIGNED_IN: { target: 'online', actions: assign({ error: '', notice: '' }) },
        SIGN_IN_FAILED: { target: 'signedOut', actions: assign({ error: ({ event }) => event.error }) },
      },
    },
    resuming: {
      on: {
        RESUMED: { target: 'online', actions: assign({ notice: '', attempt: 0 }) },
        UNREACHABLE: { actions: assign({ attempt: ({ event }) => event.attempt, delayMs: ({ event }) => event.delayMs }) },
        EXPIRED: { target: 'signedOut', actions: assign({ notice: 'Your session has ended. Sign in again.' }) },
        KICKED: 'kicked',
        SIGN_OUT: { target: 'signedOut', actions: assign({ notice: ({ event }) => event.notice ?? '' }) },
      },
    },
    online: {
      on: {
        DISCONNECTED: { target: 'reconnecting', actions: assign({ reason: ({ event }) => event.reason, attempt: 0, delayMs: 0 }) },
        KICKED: 'kicked',
        EXPIRED: { target: 'signedOut', actions: assign({ notice: 'Your session has ended. Sign in again.' }) },
        SIGN_OUT: { target: 'signedOut', actions: assign({ notice: ({ event }) => event.notice ?? '' }) },
      },
    },
    reconnecting: {
      on: {
        RECONNECTING: { actions: assign({ attempt: ({ event }) => event.attempt, delayMs: ({ event }) => event.delayMs }) },
        DISCONNECTED: { actions: assign({ reason: ({ event }) => event.reason }) },
        RECONNECTED: { target: 'online', actions: assign({ attempt: 0, delayMs: 0, reason: '' }) },
        EXPIRED: { target: 'signedOut', actions: assign({ notice: 'Your session has ended. Sign in again.' }) },
        KICKED: 'kicked',
        SIGN_OUT: { target: 'signedOut', actions: assign({ notice: ({ event }) => event.notice ?? '' }) },
      },
    },
    kicked: {
      on: {
        RESUME: { target: 'resuming', actions: assign({ attempt: 0, delayMs: 0 }) },
        SIGN_OUT: { target: 'signedOut', actions: assign({ notice: ({ event }) => event.notice ?? '' }) },
      },
    },
  },
});

export type ConnectionPhase = 'signedOut' | 'signingIn' | 'resuming' | 'online' | 'reconnecting' | 'kicked';
