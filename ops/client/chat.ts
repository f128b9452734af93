// `troupe client chat`: the interactive client. Plain lines go to the open conversation; /commands
// do the rest (any scripted command works as /name too). Entries come from a ChatSession, so each
// one shows once, in order, also after a reconnect. Works on a terminal (prompt, line editing,
// typing indicators) and on pipes (one line in, plain lines out) so it can be scripted.
import { parseArgs } from 'node:util';
import { ConfigError } from '../../lib/mod.ts';
import { TroupeError } from '../../protocol/mod.ts';
import { ChatSession, type ChatEntry, type PushMessage } from '../../protocol/client/mod.ts';
import { entryLine } from './format.ts';
import { Names, about, type Target } from './names.ts';
import { withRetry, newClientMsgId, sendTarget, messageBody, mentioned } from './messages.ts';
import { createRoom, joinRoom } from './rooms.ts';
import { scriptedCommands } from './commands.ts';
import { splitWords } from './words.ts';
import { clientFlags, checkArgs, connectClient, connectSaved, urlFor, intArg, usageError, type AloneCommand, type ClientContext, type ClientEnv, type Flags } from './context.ts';
import { Screen } from './screen.ts';
import { Conversations } from './conversations.ts';
import type { ClientIo } from './io.ts';

const PAGE = 20;
const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 5000;

const help = `Plain lines are sent to the open conversation. Commands:
  /rooms                     your conversations (numbered for /open)
  /open <room|@user|number>  open a conversation and show its last messages
  /more                      earlier messages of the open conversation
  /who                       members of the open room
  /friends                   friends and requests (/add, /accept, /decline, /unfriend NAME)
  /join <room>               join an open room (/discover lists them)
  /create <name> [--open] [--description D] [--member NAME ...]
  /invite <user>             add someone to the open room
  /leave [room]              leave the open room (or the one named)
  /edit <seq> <text>         edit your message #seq
  /recall <seq>              recall your message #seq
  /help, /quit
Every other troupe client command works as /command too; the room may be left out (the open one).`;

export class ChatUi {
  private readonly screen: Screen;
  private ctx!: ClientContext;
  private session!: ChatSession;
  private conversations!: Conversations;
  private current?: Target;
  private shownUpTo = 0;
  private oldest = 0;
  private more = false;
  /** The room being opened, and its entries that arrive while its history loads. */
  private opening?: { room: string; held: ChatEntry[] };
  private starting = true;
  private readonly readSent = new Map<string, number>();
  private readTimer?: NodeJS.Timeout;
  private typingSentAt = 0;
  private readonly typers = new Map<number, NodeJS.Timeout>();
  private readonly typingShown = new Map<string, number>();
  private readonly online = new Map<number, boolean>();
  private saver?: NodeJS.Timeout;
  /** While /create or /join runs: its rooms.joined push is no news. */
  private joining = 0;
  private quitting?: Promise<void>;
  private exitCode = 0;

  constructor(private readonly env: ClientEnv, private readonly opts: { open?: string; password?: string }) {
    this.screen = new Screen(env.io, {
      onTyping: (line) => this.typing(line),
      onInterrupt: () => void this.quit(0),
      // a message typed on a terminal comes back in sequence, with its number
      echoes: (line) => Boolean(this.current && line.trim() && !line.startsWith('/') && !this.starting),
    });
  }

  /** Runs until /quit, the end of input, Ctrl-C, or a kick; resolves with the exit code. */
  async run(): Promise<number> {
    const undo = this.env.io.onInterrupt(() => void this.quit(0));
    try {
      this.ctx = await this.logIn();
      await this.startSession();
      await this.showRooms();
      if (this.opts.open) await this.guard(() => this.open(this.opts.open!));
      this.say(this.current ? 'Type a message, or /help.' : 'Open a conversation with /open <room|@user|number>; /help lists the commands.');
      this.prompt();
      for (;;) {
        const line = await this.screen.next();
        if (line === null || this.quitting) break;
        await this.guard(() => this.handle(line));
        if (this.quitting) break;
        this.prompt();
      }
      await this.quit(this.exitCode);
      return this.exitCode;
    } catch (e) {
      await this.quit(1);
      throw e;
    } finally {
      undo();
      this.screen.close();
    }
  }

  // ---- start ----

  private async ask(question: string, hidden = false): Promise<string> {
    const answer = await this.screen.ask(question, hidden);
    if (answer === null || !answer.trim()) throw new TroupeError('unauthenticated', 'not logged in: no name or password given');
    // a password is taken as typed; only a name is trimmed
    return hidden ? answer : answer.trim();
  }

  private async logIn(): Promise<ClientContext> {
    const opts = { reconnect: true, heartbeatMs: 30_000 };
    if (this.env.profile.load()) {
      try {
        return await connectSaved(this.env, opts);
      } catch (e) {
        if (!(e instanceof TroupeError && e.code === 'session_expired')) throw e;
        this.say(`! ${e.message}`);
      }
    }
    const name = await this.ask('name: ');
    const password = this.opts.password ?? this.env.env.TROUPE_PASSWORD ?? (await this.ask('password: ', true));
    const url = urlFor(this.env);
    const client = await connectClient(this.env, opts);
    try {
      const me = await client.login(name, password);
      this.env.profile.saveSession({ url, token: client.token!, user: me, expiresAt: '' });
      return { ...this.env, client, me, names: new Names(client, me) };
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  private async startSession(): Promise<void> {
    const { client, me, profile } = this.ctx;
    this.ctx = { ...this.ctx, io: this.screenIo() };
    this.conversations = new Conversations(this.ctx.names);
    this.say(`logged in as ${me.name} (id ${me.id}) over ${client.url}`);
    client.on('push', (p: PushMessage) => this.onPush(p));
    // the client says 'disconnected' again for every failed attempt to reconnect: once is enough
    let offline = false;
    client.on('disconnected', (reason: string) => {
      if (!offline && !this.quitting) this.say(`! connection lost (${reason}); reconnecting…`);
      offline = true;
    });
    client.on('reconnected', () => {
      offline = false;
      if (client.token) this.say('* reconnected');
      else {
        this.say('! the session expired: log in again (troupe client login)');
        void this.quit(1);
      }
    });
    client.on('error-frame', (e: { code?: string; message?: string }) => {
      if (e?.code !== 'kicked') return;
      // close at once: reconnecting would kick the newer login in turn
      void client.close();
      this.say(`! kicked: ${e.message ?? ''} (another ${this.env.device} login of ${me.name}; use --device to pick another type)`);
      void this.quit(1);
    });
    this.session = new ChatSession(client, { cursors: profile.cursors() });
    this.session.on('entry', (e: ChatEntry) => this.onEntry(e));
    this.session.on('error', (e: Error) => {
      // a sync cut off by a lost connection is redone after the reconnect
      if (!(e instanceof TroupeError && e.code === 'unavailable')) this.say(`! catching up failed (${e.message}); trying again after the next reconnect`);
    });
    // what arrived while away is counted in the conversation list, not printed
    await this.session.start();
    this.starting = false;
    this.saver = setInterval(() => profile.saveCursors(this.session.cursors), 5000);
    this.saver.unref();
  }

  /** Output of /commands goes through the screen (TABs of scripted rows shown as spaces). */
  private screenIo(): ClientIo {
    return { ...this.env.io, out: (line) => this.say(line.replace(/\t/g, '  ')), err: (line) => this.say(line) };
  }

  // ---- output ----

  private say(line: string): void {
    this.screen.say(line);
  }

  private sayLater(work: () => Promise<string | undefined> | string | undefined): void {
    this.screen.later(work);
  }

  private prompt(): void {
    if (!this.ctx) return;
    const typing = [...this.typers.keys()].map((u) => this.ctx.names.label(u));
    const who = typing.length ? ` (${typing.join(', ')} typing…)` : '';
    this.screen.prompt(`${this.current?.label ?? 'troupe'}${who}> `);
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (e instanceof TroupeError) this.say(`! ${e.code}: ${e.message}`);
      else if (e instanceof ConfigError) this.say(`! ${e.message}`);
      else this.say(`! ${(e as Error).message ?? e}`);
    }
  }

  // ---- input ----

  /** A key typed into a message: tell the open room, at most every few seconds. */
  private typing(line: string): void {
    if (!this.current || this.starting || this.quitting || line.startsWith('/')) return;
    const now = Date.now();
    if (now - this.typingSentAt < TYPING_EVERY_MS) return;
    this.typingSentAt = now;
    // a direct conversation that does not exist yet answers forbidden: nothing to tell
    this.ctx.client.request('chat.typing', { room: this.current.room }).catch(() => {});
  }

  private async handle(line: string): Promise<void> {
    const text = line.trim();
    if (!text) return;
    if (!text.startsWith('/')) return this.send(line);
    const [, name, rest = ''] = /^\/(\S+)\s*([\s\S]*)$/.exec(text)!;
    switch (name) {
      case 'quit': case 'exit': case 'q':
        return this.quit(0);
      case 'help': case '?':
        return this.say(help);
      case 'rooms':
        return this.showRooms();
      case 'open':
        if (!rest) return this.say(this.current ? `open: ${this.current.label} (${this.current.room})` : 'nothing open: /open <room|@user|number>');
        return this.open(splitWords(rest).join(' '));
      case 'more':
        return this.showMore();
      case 'who':
        return this.who();
      case 'friends':
        return this.friends();
      case 'join': {
        const [arg, ...extra] = splitWords(rest);
        if (!arg || extra.length) throw usageError('usage: /join <room>');
        const room = await this.quietly(() => joinRoom(this.ctx, arg));
        this.conversations.joined(room.id, room.name);
        return this.open(room.id);
      }
      case 'create': {
        const { positionals, flags } = this.parseLine('create', rest);
        const room = await this.quietly(() => createRoom(this.ctx, positionals, flags));
        this.conversations.joined(room.id, room.name);
        return this.open(room.id);
      }
      case 'leave': {
        const t = rest ? await this.target(splitWords(rest).join(' ')) : this.needOpen();
        if (t.kind === 'direct') throw new TroupeError('forbidden', 'a direct conversation cannot be left (/block the user instead)');
        await about(t, () => this.ctx.client.request('rooms.leave', { room: t.room }));
        this.conversations.left(t.room);
        if (this.current?.room === t.room) this.current = undefined;
        return this.say(`* you left ${t.label}`);
      }
      case 'edit': {
        const t = this.needOpen();
        const m = /^(\S+)\s+([\s\S]+)$/.exec(rest);
        if (!m) throw usageError('usage: /edit <seq> <text>');
        const seq = intArg('seq', m[1].replace(/^#/, ''), 1);
        await about(t, () => this.session.edit(t.room, seq, messageBody([m[2]])));
        return;
      }
      case 'recall': {
        const t = this.needOpen();
        const seq = intArg('seq', rest.replace(/^#/, ''), 1);
        await about(t, () => this.session.recall(t.room, seq));
        return;
      }
      default:
        return this.runScripted(name, rest);
    }
  }

  private async quietly<T>(work: () => Promise<T>): Promise<T> {
    this.joining++;
    try {
      return await work();
    } finally {
      this.joining--;
    }
  }

  private parseLine(name: string, rest: string): { positionals: string[]; flags: Flags } {
    try {
      const { values, positionals } = parseArgs({ args: splitWords(rest), options: clientFlags, allowPositionals: true, strict: true });
      return { positionals, flags: values as Flags };
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw usageError(`/${name}: ${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}`);
    }
  }

  /** Any scripted command, on this connection; a missing room argument means the open one. */
  private async runScripted(name: string, rest: string): Promise<void> {
    const spec = scriptedCommands[name];
    if (!spec || spec.standalone || !('run' in spec)) throw usageError(`unknown command /${name} (/help lists them)`);
    const { positionals, flags } = this.parseLine(name, rest);
    if (spec.room && positionals.length < spec.args[0] && this.current) positionals.unshift(this.current.room);
    checkArgs(`/${name}`, spec, positionals, flags);
    await spec.run(this.ctx, positionals, flags);
  }

  // ---- conversations ----

  private needOpen(): Target {
    if (!this.current) throw usageError('open a conversation first: /open <room|@user|number> (/rooms lists them)');
    return this.current;
  }

  private async target(arg: string): Promise<Target> {
    return this.conversations.known(arg) ?? this.conversations.named(await this.ctx.names.target(arg));
  }

  private async showRooms(): Promise<void> {
    const { conversations } = await this.ctx.client.request('rooms.list', { limit: 100 });
    const lines = this.conversations.list(conversations);
    if (!lines.length) return this.say('No conversations yet: /open @user to talk to someone, /create or /join a room.');
    this.say('Conversations:');
    for (const line of lines) this.say(line);
  }

  private async open(arg: string): Promise<void> {
    const t = await this.target(arg);
    this.opening = { room: t.room, held: [] };
    let page: { messages: ChatEntry[]; more: boolean } = { messages: [], more: false };
    try {
      page = await about(t, () => this.ctx.client.request('chat.history', { room: t.room, limit: PAGE }));
    } catch (e) {
      // a direct conversation starts with its first message
      if (!(e instanceof TroupeError && e.code === 'not_found' && t.kind === 'direct')) {
        this.opening = undefined;
        throw e;
      }
    }
    const held = this.opening?.held ?? [];
    this.opening = undefined;
    this.current = t;
    this.clearTypers();
    this.more = page.more;
    this.oldest = page.messages[0]?.seq ?? 0;
    this.shownUpTo = page.messages.at(-1)?.seq ?? 0;
    await this.screen.drained();
    this.say(`--- ${t.label} (${t.room}) ---`);
    await this.printPage(page.messages);
    if (!page.messages.length) this.say('(no messages yet)');
    for (const e of held) this.show(e);
    this.conversations.opened(t.room, this.shownUpTo);
    this.prompt();
    this.markRead();
  }

  /** History shows messages as they stand; the edit and recall entries themselves would only repeat that. */
  private async printPage(entries: ChatEntry[]): Promise<void> {
    if (!entries.length) return;
    await this.ctx.names.loadRoom(entries[0].room, entries.flatMap(mentioned));
    for (const e of entries) if (e.kind !== 'edit' && e.kind !== 'recall') this.say(entryLine(e, this.ctx.names.label));
  }

  private async showMore(): Promise<void> {
    const t = this.needOpen();
    if (!this.more || this.oldest <= 1) return this.say('-- no earlier messages --');
    const page = await about(t, () => this.ctx.client.request('chat.history', { room: t.room, before: this.oldest, limit: PAGE }));
    if (!page.messages.length) return this.say('-- no earlier messages --');
    this.say(`-- earlier: #${page.messages[0].seq} to #${page.messages.at(-1)!.seq} --`);
    await this.printPage(page.messages);
    this.oldest = page.messages[0].seq;
    this.more = page.more;
    this.say(page.more ? '-- /more for earlier --' : '-- that is the beginning --');
  }

  private async who(): Promise<void> {
    const t = this.needOpen();
    const { members } = await about(t, () => this.ctx.client.request('rooms.members', { room: t.room }));
    this.ctx.names.learn(...members.map((m) => m.user));
    this.say(`Members of ${t.label}:`);
    for (const m of members) this.say(`  ${m.user.name}  ${m.role}${m.online ? '  online' : ''}  read to #${m.readSeq}`);
  }

  private async friends(): Promise<void> {
    const { friends } = await this.ctx.client.request('friends.list', {});
    if (!friends.length) return this.say('No friends yet: /add <user>');
    const what = { friend: 'friend', incoming: 'wants to be friends (/accept or /decline)', outgoing: 'asked, no answer yet', blocked: 'blocked', none: '' } as const;
    for (const f of friends) {
      this.ctx.names.learn(f.user);
      this.say(`  ${f.user.name}  ${what[f.status]}${f.online ? `  online (${f.devices.join(', ')})` : ''}`);
    }
  }

  // ---- messages ----

  private async send(line: string): Promise<void> {
    const t = this.needOpen();
    const body = messageBody([line]);
    const clientMsgId = newClientMsgId();
    // the answer puts the message in sequence; onEntry prints it
    await about(t, () => withRetry(this.ctx.client, () => this.session.send(sendTarget(t), clientMsgId, body, { timeoutMs: 10_000 })));
    this.typingSentAt = 0;
  }

  private onEntry(e: ChatEntry): void {
    if (this.starting) return;
    if (this.opening?.room === e.room) {
      this.opening.held.push(e);
      return;
    }
    if (this.current?.room === e.room) {
      this.show(e);
      this.conversations.opened(e.room, e.seq);
      return;
    }
    const notice = this.conversations.arrived(e);
    if (notice) this.sayLater(notice);
  }

  /** An entry of the open conversation, once. */
  private show(e: ChatEntry): void {
    if (e.seq <= this.shownUpTo) return;
    this.shownUpTo = e.seq;
    if (!this.oldest) this.oldest = e.seq;
    const typer = this.typers.get(e.from);
    if (typer && e.kind === 'text') {
      clearTimeout(typer);
      this.typers.delete(e.from);
      this.prompt();
    }
    this.sayLater(async () => {
      await this.ctx.names.loadRoom(e.room, mentioned(e));
      return entryLine(e, this.ctx.names.label);
    });
    this.markRead();
  }

  /** Marks the open conversation read up to what was shown (batched). */
  private markRead(): void {
    if (this.readTimer || !this.current) return;
    this.readTimer = setTimeout(() => {
      this.readTimer = undefined;
      const t = this.current;
      if (!t || this.shownUpTo <= (this.readSent.get(t.room) ?? 0)) return;
      const seq = this.shownUpTo;
      this.readSent.set(t.room, seq);
      this.ctx.client.request('chat.read', { room: t.room, seq }).catch(() => this.readSent.delete(t.room));
    }, 300);
  }

  // ---- pushes ----

  private onPush(p: PushMessage): void {
    const names = this.ctx.names;
    switch (p.op) {
      case 'chat.typing': {
        const user = Number(p.user);
        if (p.room !== this.current?.room || user === this.ctx.me.id) return;
        if (this.screen.terminal) {
          clearTimeout(this.typers.get(user));
          this.typers.set(user, setTimeout(() => {
            this.typers.delete(user);
            this.prompt();
          }, TYPING_SHOWN_MS));
          void names.loadRoom(String(p.room), [user]).then(() => this.prompt());
        } else {
          const key = `${p.room}:${user}`;
          if (Date.now() - (this.typingShown.get(key) ?? 0) < TYPING_SHOWN_MS) return;
          this.typingShown.set(key, Date.now());
          this.sayLater(async () => {
            await names.loadRoom(String(p.room), [user]);
            return `~ ${names.label(user)} is typing…`;
          });
        }
        return;
      }
      case 'chat.read': {
        const user = Number(p.user);
        if (user === this.ctx.me.id) return this.conversations.readElsewhere(String(p.room), Number(p.seq));
        if (this.current && p.room === this.current.room && this.current.kind === 'direct') this.say(`  (seen by ${names.label(user)} up to #${p.seq})`);
        return;
      }
      case 'rooms.joined': {
        const r = p.room as { id: string; name: string; kind: 'group' | 'direct' };
        if (r.kind === 'direct' || !this.conversations.joined(r.id, r.name)) return;
        if (!this.joining) this.say(`* you are now in ${r.name} [${r.id}] (/open ${r.id})`);
        return;
      }
      case 'rooms.left': {
        const room = String(p.room);
        const label = this.conversations.left(room);
        if (p.reason === 'kicked') this.say(`* you were removed from ${label}`);
        if (this.current?.room === room) {
          this.current = undefined;
          this.prompt();
        }
        return;
      }
      case 'friends.update': {
        const u = p.user as { id: number; name: string };
        names.learn(u);
        const says: Record<string, string> = {
          incoming: `${u.name} wants to be friends (/accept ${u.name} or /decline ${u.name})`,
          friend: `${u.name} and you are friends`,
          none: `${u.name} is not a friend (any more)`,
        };
        if (says[String(p.status)]) this.say(`* ${says[String(p.status)]}`);
        return;
      }
      case 'presence': {
        // only the peer of the open direct conversation: one-shot commands of friends come and go
        const user = Number(p.user);
        if (this.current?.peer?.id !== user) return;
        const was = this.online.get(user);
        this.online.set(user, Boolean(p.online));
        if (was !== Boolean(p.online)) this.say(`* ${names.label(user)} is ${p.online ? 'online' : 'offline'}`);
        return;
      }
    }
  }

  private clearTypers(): void {
    for (const t of this.typers.values()) clearTimeout(t);
    this.typers.clear();
  }

  // ---- end ----

  private quit(code: number): Promise<void> {
    this.exitCode = Math.max(this.exitCode, code);
    this.quitting ??= (async () => {
      this.screen.quiet = true;
      this.screen.end();
      if (this.saver) clearInterval(this.saver);
      if (this.readTimer) clearTimeout(this.readTimer);
      this.clearTypers();
      if (this.ctx) {
        this.session?.stop();
        await this.screen.drained();
        if (this.session) {
          await this.session.flush();
          this.ctx.profile.saveCursors(this.session.cursors);
        }
        await this.ctx.client.close();
      }
    })();
    return this.quitting;
  }
}

export const chatCommand: AloneCommand = {
  usage: 'chat [room|@user]', summary: 'interactive: your conversations, live messages, history, /commands',
  args: [0, 1], flags: ['password'], device: 'desktop', standalone: true,
  async alone(env, [open], flags) {
    return new ChatUi(env, { open, password: flags.password }).run();
  },
};
