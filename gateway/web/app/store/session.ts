// The connection to the gateway and the signed-in session: sign in or register, resume a stored
// session on load, follow the client library's reconnects, notice a kick or an expired session,
// sign out. The phase lives in the connection statechart (state/connection.ts); this module feeds
// it the client's events and tells the other stores when a session starts (`ready`) and what
// arrives (entries, pushes).
import { signal, computed } from '@preact/signals';
import { createActor } from 'xstate';
import { TroupeClient, ChatSession, Emitter, type PushMessage, type ChatEntry } from '../../../../protocol/client/mod.ts';
import { TroupeError } from '../../../../protocol/errors.ts';
import { connectionMachine, type ConnectionPhase, type ConnectionContext } from '../state/mod.ts';
import { loadSession, saveSession, clearSession } from '../net/mod.ts';

export interface Me {
  id: number;
  name: string;
}

/** What the other stores listen to. `ready` fires once per session, before entries flow. */
export const sessionEvents = new Emitter<{
  [name: string]: unknown[];
  ready: [TroupeClient];
  entry: [ChatEntry];
  push: [PushMessage];
  reconnected: [];
  ended: [];
}>();

export const me = signal<Me | null>(null);
const machine = createActor(connectionMachine).start();
const snapshot = signal(machine.getSnapshot());
machine.subscribe((s) => {
  snapshot.value = s;
});
export const phase = computed(() => snapshot.value.value as ConnectionPhase);
export const connection = computed<ConnectionContext>(() => snapshot.value.context);

let client: TroupeClient | null = null;
let chat: ChatSession | null = null;
/** Bumped whenever a session ends, so late answers of an old one are ignored. */
let generation = 0;

function wsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

const DEVICE = { type: 'web' as const, name: 'browser' };

// failover: when the gateway that served this page goes (a crash, a deploy), the client library
// moves the WebSocket to another live gateway it has heard of, resumes the session and catches up;
// those gateways accept this page's origin and the page's CSP names them
async function connect(): Promise<TroupeClient> {
  return TroupeClient.connect(wsUrl(), { device: DEVICE, heartbeatMs: 25_000, timeoutMs: 15_000, maxReconnectDelayMs: 10_000, failover: true });
}

/** The connected client of the current session (requests fail with `unavailable` while offline). */
export function api(): TroupeClient {
  if (!client) throw new TroupeError('unavailable', 'not signed in');
  return client;
}

export function chatSession(): ChatSession {
  if (!chat) throw new TroupeError('unavailable', 'not signed in');
  return chat;
}

/** The message for a failed sign-in, by error code. */
export function signInError(e: unknown): string {
  if (e instanceof TroupeError) {
    switch (e.code) {
      case 'bad_credentials': return 'Wrong name or password.';
      case 'name_taken': return 'That name is taken. Pick another one.';
      case 'rate_limited': case 'too_many_in_flight': return 'Too many attempts. Wait a few seconds and try again.';
      case 'bad_request': return e.message.replace(/^name:/, 'Name:').replace(/^password:/, 'Password:');
      case 'too_many_connections': return 'The server is full right now. Try again in a minute.';
      case 'timeout': case 'unavailable': return 'The server did not answer. Try again.';
      default: return e.message;
    }
  }
  return 'Cannot reach the server. Is Troupe running?';
}

/** Checks a name and password before they go out (the server checks them again). */
export function checkCredentials(name: string, password: string, registering: boolean): string | null {
  if (!/^[A-Za-z0-9_.-]{3,32}$/.test(name)) return 'A name is 3 to 32 letters, digits, or _ . -';
  if (registering && password.length < 8) return 'Pick a password of at least 8 characters.';
  if (!password) return 'Enter your password.';
  if (password.length > 128) return 'A password has at most 128 characters.';
  return null;
}

export async function signIn(name: string, password: string, registering: boolean): Promise<void> {
  const invalid = checkCredentials(name, password, registering);
  if (invalid) {
    machine.send({ type: 'SIGN_IN' });
    machine.send({ type: 'SIGN_IN_FAILED', error: invalid });
    return;
  }
  machine.send({ type: 'SIGN_IN' });
  let c: TroupeClient | null = null;
  try {
    c = await connect();
    if (registering) await c.register(name, password);
    const user = await c.login(name, password);
    saveSession({ token: c.token!, user });
    await begin(c, user);
    machine.send({ type: 'SIGNED_IN' });
  } catch (e) {
    await c?.close().catch(() => {});
    machine.send({ type: 'SIGN_IN_FAILED', error: signInError(e) });
  }
}

/** Resumes the session kept in this tab, retrying while the gateway cannot be reached. */
export async function resumeStored(): Promise<boolean> {
  const stored = loadSession();
  if (!stored) return false;
  machine.send({ type: 'RESUME' });
  const gen = generation;
  let delay = 500;
  for (let attempt = 1; gen === generation && phase.value === 'resuming'; attempt++) {
    let c: TroupeClient | null = null;
    try {
      c = await connect();
      const user = await c.resume(stored.token);
      if (gen !== generation) {
        await c.close();
        return false;
      }
      await begin(c, user);
      machine.send({ type: 'RESUMED' });
      return true;
    } catch (e) {
      await c?.close().catch(() => {});
      if (e instanceof TroupeError && e.code === 'session_expired') {
        clearSession();
        machine.send({ type: 'EXPIRED' });
        return false;
      }
      const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
      machine.send({ type: 'UNREACHABLE', attempt, delayMs: wait });
      await new Promise((r) => setTimeout(r, wait));
      delay = Math.min(delay * 2, 10_000);
    }
  }
  return false;
}

/** Wires a freshly signed-in client: pushes, reconnects, kicks, and the chat session. */
async function begin(c: TroupeClient, user: Me): Promise<void> {
  client = c;
  me.value = { id: user.id, name: user.name };
  const gen = generation;
  c.on('push', (p) => {
    if (gen === generation) sessionEvents.emit('push', p);
  });
  c.on('error-frame', (e) => {
    if (gen !== generation) return;
    if (e.code === 'kicked') machine.send({ type: 'KICKED' });
  });
  c.on('disconnected', (reason) => {
    if (gen === generation) machine.send({ type: 'DISCONNECTED', reason });
  });
  c.on('reconnecting', ({ attempt, delayMs }) => {
    if (gen === generation) machine.send({ type: 'RECONNECTING', attempt, delayMs });
  });
  c.on('reconnected', () => {
    if (gen !== generation) return;
    if (!c.token) {
      // the gateway no longer knows the session (revoked or expired)
      void end('expired');
      return;
    }
    machine.send({ type: 'RECONNECTED' });
    sessionEvents.emit('reconnected');
  });
  // the stores load what they show (rooms.list seeds the chat session's cursors) before entries flow
  sessionEvents.emit('ready', c);
}

/** Starts the chat session from these cursors (room -> last seq the client has shown). */
export async function startChat(cursors: Record<string, number>): Promise<void> {
  const c = api();
  const gen = generation;
  chat?.stop();
  chat = new ChatSession(c, { cursors, resyncMs: 20_000 });
  chat.on('entry', (e) => {
    if (gen === generation) sessionEvents.emit('entry', e);
  });
  chat.on('error', () => {
    // a failed sync is redone on the next reconnect or resync
  });
  await chat.start();
}

async function end(why: 'signed-out' | 'expired' | 'kicked'): Promise<void> {
  generation++;
  chat?.stop();
  chat = null;
  const c = client;
  client = null;
  if (why !== 'kicked') clearSession();
  me.value = null;
  sessionEvents.emit('ended');
  await c?.close().catch(() => {});
  if (why === 'expired') machine.send({ type: 'EXPIRED' });
  else machine.send({ type: 'SIGN_OUT', notice: why === 'signed-out' ? 'You are signed out.' : '' });
}

export async function signOut(): Promise<void> {
  try {
    if (client?.connected) await client.logout();
  } catch {
    // the token is forgotten here either way; the server's session expires on its own
  }
  await end('signed-out');
}

/** After a kick: take the session back in this tab (the other one is signed out in turn). */
export async function useHere(): Promise<void> {
  generation++;
  chat?.stop();
  chat = null;
  const c = client;
  client = null;
  await c?.close().catch(() => {});
  await resumeStored();
}

/** Forget the kicked session here without signing the other tab out. */
export async function leaveKicked(): Promise<void> {
  await end('kicked');
  clearSession();
}

export function retryNow(): void {
  client?.reconnectNow();
}
