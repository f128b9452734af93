// Messages: send (retried with the same client message id), edit, recall, history, read, and
// the profile's own view of what is new: sync (once) and listen (as it happens).
import { randomBytes } from 'node:crypto';
import { TroupeError } from '../../protocol/mod.ts';
import { ChatSession, type ChatEntry, type PushMessage, type TroupeClient } from '../../protocol/client/mod.ts';
import { row, entryRow } from './format.ts';
import { about, type Names, type Target } from './names.ts';
import { usageError, intArg, type ClientCommand, type ClientContext } from './context.ts';

/** A fresh client message id (resends of one message reuse it). */
export function newClientMsgId(): string {
  return `t${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
}

const transient = new Set(['timeout', 'unavailable', 'rate_limited']);

/**
 * Runs a request again after an error that says "try again" (timeout, unavailable, rate limited),
 * waiting for the connection to come back in between. Only safe for idempotent requests, which
 * chat.send is thanks to the client message id.
 */
export async function withRetry<T>(client: TroupeClient, work: () => Promise<T>, opts: { attempts?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 6;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!(e instanceof TroupeError) || !transient.has(e.code) || attempt >= attempts) throw e;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          client.off('reconnected', done);
          resolve();
        };
        // a dropped connection is back when 'reconnected' fires; otherwise just back off
        const timer = setTimeout(done, client.connected ? delay : Math.max(delay, 5000));
        if (!client.connected) client.once('reconnected', done);
      });
      delay = Math.min(delay * 2, 4000);
    }
  }
}

/** The fields of chat.send that say where: a direct conversation by its peer, so the first message creates it. */
export function sendTarget(t: Target): { room: string } | { to: number } {
  return t.peer ? { to: t.peer.id } : { room: t.room };
}

export function messageBody(words: string[]): string {
  const body = words.join(' ');
  if (!body.trim()) throw usageError('the message is empty');
  if (body.length > 8000) throw usageError(`a message has at most 8000 characters (this one has ${body.length})`);
  return body;
}

/** The user ids an entry mentions (sender, and who a system event is about). */
export function mentioned(e: ChatEntry): number[] {
  const d = (e.data ?? {}) as Record<string, unknown>;
  return [e.from, d.user, d.by, d.owner].filter((x): x is number => typeof x === 'number' && x > 0);
}

/** Prints entries and events in arrival order, looking names up on the way. */
export class Printer {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly names: Names, private readonly out: (line: string) => void, private readonly err: (line: string) => void) {}

  entry(e: ChatEntry): void {
    this.then(async () => {
      await this.names.loadRoom(e.room, mentioned(e));
      this.out(entryRow(e, this.names.label));
    });
  }

  then(work: () => Promise<void> | void): void {
    this.chain = this.chain.then(work).catch((e) => this.err(`troupe client: ${(e as Error).message}`));
  }

  drain(): Promise<void> {
    return this.chain;
  }
}

/** The listen form of a push that is not an entry: the event name first. */
export async function pushRow(p: PushMessage, names: Names): Promise<string | undefined> {
  const user = (id: unknown) => names.label(Number(id));
  switch (p.op) {
    case 'chat.read':
      await names.loadRoom(String(p.room), [Number(p.user)]);
      return row('read', String(p.room), user(p.user), Number(p.seq));
    case 'chat.typing':
      await names.loadRoom(String(p.room), [Number(p.user)]);
      return row('typing', String(p.room), user(p.user));
    case 'rooms.joined': {
      const r = p.room as { id: string; name: string; kind: string };
      return row('joined', r.id, r.kind === 'direct' ? '-' : r.name);
    }
    case 'rooms.left':
      return row('left', String(p.room), String(p.reason));
    case 'friends.update': {
      const u = p.user as { id: number; name: string };
      names.learn(u);
      return row('friend', u.name, String(p.status));
    }
    case 'presence':
      return row('presence', user(p.user), p.online ? 'online' : 'offline', (p.devices as string[]).join(',') || '-');
    default:
      return undefined;
  }
}

/**
 * A ChatSession that starts from the profile's cursors, prints each entry once, and saves how far
 * it got (also while it runs, so a kill loses little).
 */
async function followProfile(ctx: ClientContext, printer: Printer, opts: { resyncMs: number }) {
  const session = new ChatSession(ctx.client, { cursors: ctx.profile.cursors(), resyncMs: opts.resyncMs, confirmDelayMs: 100 });
  let failure: Error | undefined;
  session.on('error', (e: Error) => {
    failure = e;
  });
  session.on('entry', (e: ChatEntry) => printer.entry(e));
  const save = async () => {
    await printer.drain();
    ctx.profile.saveCursors(session.cursors);
  };
  await session.start();
  return {
    session,
    save,
    failure: () => failure,
    async stop() {
      session.stop();
      await session.flush();
      await save();
    },
  };
}

export const messageCommands: Record<string, ClientCommand> = {
  send: {
    room: true,
    usage: 'send <room|@user> <text...>', summary: 'send a message (retried with the same id after a timeout: never twice)',
    args: [2, Infinity],
    async run(ctx, [roomArg, ...words]) {
      const body = messageBody(words);
      const t = await ctx.names.target(roomArg);
      const clientMsgId = newClientMsgId();
      const r = await about(t, () => withRetry(ctx.client, () => ctx.client.request('chat.send', { ...sendTarget(t), clientMsgId, body }, { timeoutMs: 10_000 })));
      ctx.profile.advanceIfNext(r.room, r.seq);
      ctx.io.out(row(r.room, r.seq));
    },
  },
  edit: {
    room: true,
    usage: 'edit <room|@user> <seq> <text...>', summary: 'edit your own message',
    args: [3, Infinity],
    async run(ctx, [roomArg, seqArg, ...words]) {
      const seq = intArg('seq', seqArg, 1);
      const body = messageBody(words);
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request('chat.edit', { room: t.room, seq, body }));
      ctx.profile.advanceIfNext(t.room, r.seq);
      ctx.io.out(row(t.room, r.seq));
    },
  },
  recall: {
    room: true,
    usage: 'recall <room|@user> <seq>', summary: 'recall (delete) your own message',
    args: [2, 2],
    async run(ctx, [roomArg, seqArg]) {
      const seq = intArg('seq', seqArg, 1);
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request('chat.recall', { room: t.room, seq }));
      ctx.profile.advanceIfNext(t.room, r.seq);
      ctx.io.out(row(t.room, r.seq));
    },
  },
  history: {
    room: true,
    usage: 'history <room|@user> [--before N] [--limit N]', summary: 'entries of a room, oldest first (the newest by default)',
    args: [1, 1], flags: ['before', 'limit'],
    async run(ctx, [roomArg], flags) {
      const before = flags.before !== undefined ? intArg('--before', flags.before, 1) : undefined;
      const limit = flags.limit !== undefined ? intArg('--limit', flags.limit, 1, 200) : 20;
      const t = await ctx.names.target(roomArg);
      const r = await about(t, () => ctx.client.request('chat.history', { room: t.room, limit, ...(before !== undefined ? { before } : {}) }));
      await ctx.names.loadRoom(t.room, r.messages.flatMap(mentioned));
      for (const e of r.messages) ctx.io.out(entryRow(e, ctx.names.label));
      if (r.more && r.messages.length) ctx.io.err(`more: --before ${r.messages[0].seq}`);
    },
  },
  read: {
    room: true,
    usage: 'read <room|@user> [seq]', summary: 'mark read up to seq (default: the last entry)',
    args: [1, 2],
    async run(ctx, [roomArg, seqArg]) {
      const given = seqArg !== undefined ? intArg('seq', seqArg, 1) : undefined;
      const t = await ctx.names.target(roomArg);
      const seq = given ?? (await about(t, () => ctx.client.request('chat.history', { room: t.room, limit: 1 }))).messages.at(-1)?.seq ?? 0;
      const r = await about(t, () => ctx.client.request('chat.read', { room: t.room, seq }));
      ctx.io.out(row(t.room, r.readSeq, r.unread));
    },
  },
  sync: {
    usage: 'sync', summary: 'print what this profile has not seen yet, once (then remembers it)',
    args: [0, 0], standalone: true,
    async run(ctx) {
      const printer = new Printer(ctx.names, ctx.io.out, ctx.io.err);
      const follow = await followProfile(ctx, printer, { resyncMs: 0 });
      await follow.stop();
      const failure = follow.failure();
      if (failure) throw failure;
    },
  },
  listen: {
    usage: 'listen [--for SECONDS]', summary: 'print entries and events as they arrive (unseen ones first) until Ctrl-C',
    args: [0, 0], flags: ['for'], device: 'desktop', live: true, standalone: true,
    async run(ctx, _args, flags) {
      const seconds = flags.for !== undefined ? intArg('--for', flags.for, 1, 7 * 24 * 3600) : undefined;
      const printer = new Printer(ctx.names, ctx.io.out, ctx.io.err);
      let kicked: Error | undefined;
      let stop!: () => void;
      const stopped = new Promise<void>((r) => (stop = r));
      ctx.client.on('push', (p: PushMessage) => {
        if (p.op !== 'chat.message') printer.then(async () => {
          const line = await pushRow(p, ctx.names);
          if (line) ctx.io.out(line);
        });
      });
      ctx.client.on('error-frame', (e: { code?: string; message?: string }) => {
        if (e?.code !== 'kicked') return;
        kicked = new TroupeError('kicked', `${e.message ?? 'kicked'} (another ${ctx.device} login of ${ctx.me.name}; use --device to pick another type)`);
        stop();
      });
      let offline = false;
      ctx.client.on('disconnected', (reason: string) => {
        // said again for every failed attempt to reconnect: once is enough
        if (!offline) ctx.io.err(`disconnected (${reason}); reconnecting`);
        offline = true;
      });
      ctx.client.on('reconnected', () => {
        offline = false;
        if (!ctx.client.token) {
          kicked = new TroupeError('session_expired', 'the session expired: run troupe client login');
          stop();
        } else ctx.io.err('reconnected');
      });
      const follow = await followProfile(ctx, printer, { resyncMs: 20_000 });
      const saver = setInterval(() => void follow.save(), 5000);
      const timer = seconds !== undefined ? setTimeout(stop, seconds * 1000) : undefined;
      const undo = ctx.io.onInterrupt(stop);
      await stopped;
      undo();
      clearInterval(saver);
      if (timer) clearTimeout(timer);
      await follow.stop().catch(() => follow.save());
      if (kicked) throw kicked;
    },
  },
};
