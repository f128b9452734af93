// Watch together from the terminal: `watch <room>` plays the room's movie in mpv in sync with
// everyone else (browsers included) and takes commands on stdin; `library` lists the public
// movie library.
import { TroupeError, type LibraryItem, type Timeline } from '../../protocol/mod.ts';
import { WatchSession } from '../../protocol/client/mod.ts';
import { row, clockText, parseClock } from './format.ts';
import { about } from './names.ts';
import { usageError, intArg, type ClientCommand, type ClientContext } from './context.ts';
import { onLines } from './io.ts';
import { MpvFollower } from './mpv-sync.ts';

function libraryRow(i: LibraryItem): string {
  return row(i.file, i.title, i.durationMs ? clockText(i.durationMs) : '-', i.size, i.contentType, i.addedBy.name);
}

function timelineRow(t: Timeline & { cause?: string; by?: number }, name: (id: number) => string): string {
  return row('timeline', t.state, clockText(t.position), t.media?.title ?? '-', t.cause ?? '-', t.by !== undefined ? name(t.by) : '-');
}

const watchHelp = 'commands: play | pause | seek <time> | rate <r> | load <library file id | #seq | title words> | library [query] | who | status | quit';

/** One line typed while watching. */
async function command(ctx: ClientContext, s: WatchSession, f: MpvFollower, line: string): Promise<'quit' | void> {
  const [word, ...rest] = line.trim().split(/\s+/);
  const arg = rest.join(' ');
  switch (word) {
    case '': return;
    case 'quit': case 'exit': return 'quit';
    case 'play': await s.play(); return;
    case 'pause': await s.pause(); return;
    case 'seek': await s.seek(parseClock(arg)); return;
    case 'rate': {
      const r = Number(arg);
      if (!(r >= 0.25 && r <= 4)) throw usageError('rate: a number from 0.25 to 4');
      await s.setRate(r);
      return;
    }
    case 'load': {
      if (!arg) throw usageError('load <library file id | #seq of a shared file | title words>');
      if (/^#\d+$/.test(arg)) await s.load({ entry: intArg('seq', arg.slice(1), 1) });
      else {
        const { items } = await ctx.client.request('library.list', { query: arg, limit: 2 });
        const exact = items.find((i) => i.file === arg);
        const pick = exact ?? (items.length === 1 ? items[0] : undefined);
        if (!pick) {
          const byId = /^[A-Za-z0-9_]+-[0-9a-z]+-[a-z2-7]{12}$/.test(arg);
          if (!byId) throw new TroupeError('not_found', items.length ? `"${arg}" matches several movies: use the file id (library ${arg})` : `no movie in the library matches "${arg}"`);
        }
        await s.load({ library: pick?.file ?? arg });
      }
      return;
    }
    case 'library': {
      const { items } = await ctx.client.request('library.list', { query: arg, limit: 50 });
      for (const i of items) ctx.io.out(libraryRow(i));
      return;
    }
    case 'who':
      ctx.io.out(row('viewers', ...s.viewers.map((v) => `${v.name}:${v.status}`)));
      return;
    case 'status': {
      const { target, driftMs } = f.drift;
      ctx.io.out(row('status', s.timeline?.state ?? '-', clockText(target), driftMs === null ? '-' : Math.round(driftMs), f.node ?? '-'));
      return;
    }
    case 'help':
      ctx.io.err(watchHelp);
      return;
    default:
      throw usageError(`unknown command "${word}"; ${watchHelp}`);
  }
}

export const watchCommands: Record<string, ClientCommand> = {
  library: {
    usage: 'library [query...]', summary: 'the public movie library (search by title)',
    args: [0, Infinity], flags: ['limit'],
    async run(ctx, words, flags) {
      const limit = flags.limit !== undefined ? intArg('--limit', flags.limit, 1, 200) : 50;
      const { items } = await ctx.client.request('library.list', { query: words.join(' '), limit });
      for (const i of items) ctx.io.out(libraryRow(i));
    },
  },
  watch: {
    room: true,
    usage: 'watch <room> [--headless] [--for SECONDS]', summary: 'watch the room\'s movie in mpv, in sync with everyone; commands on stdin',
    args: [1, 1], flags: ['headless', 'for'], device: 'desktop', live: true, standalone: true,
    async run(ctx, [roomArg], flags) {
      const seconds = flags.for !== undefined ? intArg('--for', flags.for, 1, 7 * 24 * 3600) : undefined;
      const t = await ctx.names.target(roomArg);
      const session = new WatchSession(ctx.client, t.room);
      await about(t, () => session.join());
      const name = (id: number) => session.viewers.find((v) => v.user === id)?.name ?? `#${id}`;
      // each change once (a refreshed state repeats what was printed)
      const printed = { timeline: '', viewers: '' };
      const print = (what: 'timeline' | 'viewers', line: string) => {
        if (printed[what] !== line) ctx.io.out((printed[what] = line));
      };
      session.on('timeline', (tl) => {
        if (!printed.timeline.startsWith(`timeline\t${tl.state}\t${clockText(tl.position)}\t`)) print('timeline', timelineRow(tl, name));
      });
      session.on('viewers', (v) => print('viewers', row('viewers', ...v.map((x) => `${x.name}:${x.status}`))));
      let follower: MpvFollower;
      try {
        follower = await MpvFollower.start(session, { headless: flags.headless === true, title: `Troupe: ${t.label}` }, {
          source: (node) => ctx.io.out(row('source', node)),
          problem: (what) => ctx.io.err(what),
        });
      } catch (e) {
        await session.leave();
        throw e;
      }
      if (session.timeline && !printed.timeline) print('timeline', timelineRow(session.timeline, name));
      ctx.io.err(watchHelp);
      let stop!: (why?: string) => void;
      const stopped = new Promise<string | undefined>((r) => (stop = r));
      session.on('left', (reason) => stop(`you no longer watch this room (${reason})`));
      void follower.mpv.exited.then(() => stop());
      // the room sees where we are and how far off (relayed, not stored)
      const reports = setInterval(() => {
        const { driftMs } = follower.drift;
        const status = session.viewers.find((v) => v.viewer === session.viewer)?.status ?? 'loading';
        if (driftMs !== null) void session.report(follower.view().position, Math.round(driftMs * 10) / 10, status).catch(() => {});
      }, 2000);
      const timer = seconds !== undefined ? setTimeout(() => stop(), seconds * 1000) : undefined;
      const undo = ctx.io.onInterrupt(() => stop());
      // one command at a time, in the order typed
      let queue = Promise.resolve();
      const closeInput = onLines(ctx.io, (line) => {
        queue = queue.then(async () => {
          try {
            if ((await command(ctx, session, follower, line)) === 'quit') stop();
          } catch (e) {
            ctx.io.err(e instanceof TroupeError ? `${e.code}: ${e.message}` : (e as Error).message);
          }
        });
      });
      const why = await stopped;
      closeInput();
      undo();
      clearInterval(reports);
      if (timer) clearTimeout(timer);
      await follower.stop();
      await session.leave();
      if (why) ctx.io.err(why);
    },
  },
};
