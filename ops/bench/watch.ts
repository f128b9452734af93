// npm run bench -- watch: N headless Chromium pages (two gateways) watch one room through the web
// client's watch view, playing the committed clip from storage nodes, while the room's owner
// controls it from a Node WatchSession. Every page records the frames it shows; the drift between
// pages at common wall times is the truth, printed beside the drift the pages reported. Phases:
// load and steady play; seeks; a pause and a resume; a page joining mid-play; one member's
// network throttled (and its page reloaded over it); the host running the room's watch actor
// SIGKILLed mid-play. The figures go beside the issue's goals and the anchors' tolerances.
import fs from 'node:fs';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { WatchSession } from '../../protocol/client/mod.ts';
import { targetPosition, type Timeline } from '../../protocol/mod.ts';
import { launchChromium, ensureChromium } from '../chromium.ts';
import { startWatchSystem, CLIPS, CLIP_MS, PASSWORD, type ClipFps, type WatchSystem } from './watch-system.ts';
import { signIn, openRoom, drainPage, clockOffset, throttlePage, reloadPage, closePage, type WatchPage } from './watch-pages.ts';
import { convergeTime, driftStats, halts, jumps, reportedDrift, statusesOf, startLags, summarize, type Trace } from './watch-analysis.ts';
import { printWatchFigures, watchRows, type WatchFigures } from './watch-report.ts';
import type { Benchmark } from './mod.ts';

const TOL_MS = 40;
/** Together means staying within TOL_MS this long (a page crossing the others' place on its way does not count). */
const HOLD_MS = 500;
const LEASE_TTL_MS = 4000;
/** Seek targets (ms), each far from the last so a page still at the old place is told apart. */
const SEEK_TO = [4000, 10_000, 6000, 14_000, 8000, 12_000, 5000, 11_000];
/** Between phases the room goes back here, so the 30 s clip never ends mid-measurement. */
const RESTART_AT = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What happened when (wall ms), for the progress lines and the dump. */
const marks: { t: number; what: string }[] = [];
const say = (m: string) => {
  marks.push({ t: Date.now(), what: m });
  process.stderr.write(`watch: ${m}\n`);
};
const at = (tl: Timeline) => (t: number) => targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, t);

export const watchBench: Benchmark = {
  name: 'watch',
  summary: 'Chromium pages watching one room: drift between them (truth and reported), seek/pause/resume/join times, a throttled member, the room\'s host SIGKILLed',
  flags: {
    pages: { type: 'string', help: 'watch: Chromium pages watching the room, spread over two gateways', default: '4' },
    seeks: { type: 'string', help: 'watch: seeks measured (besides those between phases)', default: '5' },
    'throttle-kbps': { type: 'string', help: 'watch: the throttled member\'s bandwidth, kbit/s', default: '200' },
    'throttle-latency': { type: 'string', help: 'watch: the throttled member\'s added latency, ms', default: '300' },
    fps: { type: 'string', help: 'watch: the clip\'s frame rate, 24 or 15 (test/fixtures/movie24.mp4 or clip.mp4)', default: '24' },
  },
  async run({ seconds, flags }) {
    const n = Number(flags.pages ?? 4);
    const seekCount = Number(flags.seeks ?? 5);
    const throttle = { kbps: Number(flags['throttle-kbps'] ?? 200), latencyMs: Number(flags['throttle-latency'] ?? 300) };
    const fps = Number(flags.fps ?? 24);
    if (!Number.isInteger(n) || n < 2 || !Number.isInteger(seekCount) || seekCount < 1 || !(throttle.kbps > 0) || !(throttle.latencyMs >= 0) || !(fps in CLIPS)) {
      throw new Error('--pages must be a whole number >= 2, --seeks >= 1, --throttle-kbps positive, --throttle-latency >= 0, --fps 24 or 15');
    }
    const clip = CLIPS[fps as ClipFps];
    // each window must fit in the 30 s clip beside the time it takes to get there
    const windowMs = Math.min(seconds, 15) * 1000;
    ensureChromium((m) => say(m));
    const started = Date.now();
    const loadBefore = os.loadavg()[0];
    say(`starting nats-server, Postgres database, 2 hosts, 2 gateways, 2 storage nodes ...`);
    let sys: WatchSystem | undefined;
    let browser: Browser | undefined;
    const pages: WatchPage[] = [];
    let joiner: WatchPage | undefined;
    const closed: WatchPage[] = [];
    let polling = false;
    let poller: ReturnType<typeof setInterval> | undefined;
    let drainer: ReturnType<typeof setInterval> | undefined;
    const polls: { sent: number; t: number; tl: Timeline }[] = [];
    const dumpTo = process.env.TROUPE_BENCH_WATCH_DUMP;
    try {
      sys = await startWatchSystem({ fps: fps as ClipFps, storageNodes: 2, viewersPerNode: Math.ceil(n / 2), leaseTtlMs: LEASE_TTL_MS, say });
      const s = sys;
      const director = await s.user('bench-director');
      const viewers: { name: string; id: number }[] = [];
      for (let i = 0; i < n; i++) viewers.push({ name: `bench-viewer${i + 1}`, id: (await s.user(`bench-viewer${i + 1}`, i % 2)).id });
      const joinerId = (await s.user('bench-joiner', n % 2)).id;
      const room = (await director.c.request('rooms.create', { name: 'Bench movie night', members: [...viewers.map((v) => v.id), joinerId] })).room.id as string;
      // the owner controls from Node without watching (a viewer that never shows frames would hold every start)
      const session = new WatchSession(director.c, room, { refreshMs: 0 });
      await session.state();
      say(`system up in ${((Date.now() - started) / 1000).toFixed(1)} s; room ${room}; opening ${n} pages`);

      browser = await launchChromium();
      for (let i = 0; i < n; i++) {
        const p = await signIn(browser, { name: viewers[i].name, password: PASSWORD, gateway: i % 2, url: s.gateways[i % 2].http, route: `/w/${room}` }).catch((e: Error) => {
          throw new Error(`page ${viewers[i].name} did not show the watch view (video[data-testid="watch-video"]): ${e.message}`);
        });
        pages.push(p);
      }
      const clocks = await Promise.all(pages.map(clockOffset));
      const clock = clocks.reduce((a, b) => (Math.abs(b.offset) > Math.abs(a.offset) ? b : a));

      // what the room's timeline is, as the owner sees it (also: when it answers again after the
      // kill). Asked every 250 ms without waiting for the last answer: one the dead host never
      // gives must not hold the next back.
      polling = true;
      let asking = 0;
      let seen: Timeline | null = null;
      poller = setInterval(() => {
        if (!polling || asking >= 12) return;
        asking++;
        const sent = Date.now();
        director.c.request('watch.state', { room }, { timeoutMs: 15_000 }).then((r) => {
          polls.push({ sent, t: Date.now(), tl: r.timeline });
          if (!seen || r.timeline.epoch >= seen.epoch) seen = r.timeline;
        }, () => {}).finally(() => asking--);
      }, 250);
      /** The newest timeline known (a control answer or a poll). */
      const current = (): Timeline => {
        const mine = session.timeline!;
        return seen && seen.epoch > mine.epoch ? seen : mine;
      };
      let draining: Promise<void> | null = null;
      const all = () => [...pages, ...(joiner ? [joiner] : [])];
      const drain = () => (draining ??= Promise.all(all().map(drainPage)).then(() => void (draining = null)));
      drainer = setInterval(() => void drain(), 1000);
      const traces = (ps: WatchPage[] = pages): Trace[] => ps.map((p) => p.trace);

      /** ms after t0 until the pages are together (within 40 ms, in the wanted state, at the room's timeline) for holdMs. */
      const together = async (t0: number, o: { playing: boolean; holdMs: number; timeoutMs: number; set?: WatchPage[]; focus?: number }): Promise<number | null> => {
        const deadline = t0 + o.timeoutMs + o.holdMs;
        for (;;) {
          await drain();
          const now = Date.now();
          const tl = current();
          const r = convergeTime(traces(o.set), t0, now, { tolMs: TOL_MS, holdMs: o.holdMs, playing: o.playing, expect: at(tl), expectTolMs: 1000, focus: o.focus });
          if (r !== null || now > deadline || tl.state === 'ended') return r;
          await sleep(400);
        }
      };
      const seeks: (number | null)[] = [];
      /** Commands after which the room starts playing: when sent, the epoch answered, when everyone was together. */
      const starts: { what: string; t0: number; epoch: number; after: number | null }[] = [];
      const seek = async (to: number) => {
        const t0 = Date.now();
        let tl = await session.seek(to);
        // a room that ended (or was paused) holds at the new position: play it from there
        if (tl.state === 'paused' || tl.state === 'ended') tl = await session.play();
        const r = await together(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 8000 });
        seeks.push(r);
        starts.push({ what: 'seek', t0, epoch: tl.epoch, after: r });
        say(`seek to ${to / 1000} s: everyone within ${TOL_MS} ms after ${r === null ? 'never (8 s)' : `${r.toFixed(0)} ms`}`);
      };
      /** The clip is 30 s: go back near its start when the next phase needs more than what is left. */
      const runway = async (ms: number) => {
        if (at(current())(Date.now()) + ms > CLIP_MS - 2000) await seek(RESTART_AT);
      };
      /** What is left of the clip from now (ms). */
      const left = () => CLIP_MS - 2000 - at(current())(Date.now());

      // load and steady play
      say('load: the owner picks the clip');
      let t0 = Date.now();
      const loaded = await session.load({ library: s.movie });
      const start = await together(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 20_000 });
      starts.push({ what: 'load', t0, epoch: loaded.epoch, after: start });
      say(`load: everyone within ${TOL_MS} ms after ${start === null ? 'never (20 s)' : `${start.toFixed(0)} ms`}`);
      await runway(windowMs + 1000);
      say(`steady play for ${seconds} s`);
      const s0 = Date.now();
      await sleep(windowMs);
      // the window ends now; what the pages recorded until now arrives with the drain
      const s1 = Date.now();
      await drain();
      const steadyTl = current();
      const steady: WatchFigures['steady'] = {
        ms: s1 - s0,
        drift: driftStats(traces(), s0, s1, { target: at(steadyTl) }),
        reported: reportedDrift(pages[0].reported, s0, s1),
        maxJump: Math.max(...pages.map((p) => jumps(p.trace, s0, s1).max)),
        halts: pages.reduce((a, p) => a + halts(p.trace, s0, s1).length, 0),
      };
      say(`steady: pairwise p99 ${steady.drift.pairwise.p99.toFixed(1)} ms over ${(steady.drift.coverage * 100).toFixed(0)} % of the time`);

      // seeks, then a pause and a resume
      for (let i = 0; i < seekCount; i++) await seek(SEEK_TO[i % SEEK_TO.length]);
      await runway(12_000);
      t0 = Date.now();
      await session.pause();
      const pause = await together(t0, { playing: false, holdMs: HOLD_MS, timeoutMs: 6000 });
      say(`pause: paused within ${TOL_MS} ms after ${pause === null ? 'never' : `${pause.toFixed(0)} ms`}`);
      await sleep(1000);
      t0 = Date.now();
      const resumed = await session.play();
      const resume = await together(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 8000 });
      starts.push({ what: 'resume', t0, epoch: resumed.epoch, after: resume });
      say(`resume: everyone within ${TOL_MS} ms after ${resume === null ? 'never' : `${resume.toFixed(0)} ms`}`);

      // a page opens the room mid-play (signed in first: the join, not the login, is measured);
      // this and the next phases start near the clip's start, so it never ends in them
      const jg = n % 2;
      joiner = await signIn(browser, { name: 'bench-joiner', password: PASSWORD, gateway: jg, url: s.gateways[jg].http, route: '/' });
      await seek(RESTART_AT);
      say('join: a page opens the room mid-play');
      t0 = Date.now();
      await openRoom(joiner, s.gateways[jg].http, room);
      const joined = await together(t0, { playing: true, holdMs: HOLD_MS, timeoutMs: 10_000, set: [...pages, joiner], focus: n });
      await sleep(Math.max(0, t0 + windowMs - Date.now()));
      let t1 = Date.now();
      await drain();
      const joinerFig: WatchFigures['joiner'] = {
        time: joined,
        othersHalts: pages.reduce((a, p) => a + halts(p.trace, t0, t1).length, 0),
        othersDrift: driftStats(traces(), t0, t1).pairwise,
      };
      say(`join: the joiner within ${TOL_MS} ms after ${joined === null ? 'never (10 s)' : `${joined.toFixed(0)} ms`}; the others halted ${joinerFig.othersHalts} times`);
      await closePage(joiner);
      closed.push(joiner);
      joiner = undefined;

      // one member's network throttled: first as it is, then its page reloads over the slow link
      await seek(RESTART_AT);
      const victim = pages[n - 1];
      const others = pages.slice(0, n - 1);
      say(`throttle: ${victim.name} to ${throttle.kbps} kbit/s, ${throttle.latencyMs} ms`);
      t0 = Date.now();
      await throttlePage(victim, throttle);
      await sleep(windowMs / 2);
      say(`throttle: ${victim.name} reloads over the slow link`);
      const reloadAt = Date.now();
      await reloadPage(victim);
      const back = await together(reloadAt, { playing: true, holdMs: HOLD_MS, timeoutMs: Math.min(20_000, left() - HOLD_MS), focus: n - 1 });
      await sleep(Math.max(0, t0 + windowMs - Date.now()));
      t1 = Date.now();
      await throttlePage(victim, null);
      await drain();
      const throttleFig: WatchFigures['throttle'] = {
        ...throttle, ms: t1 - t0,
        othersDrift: driftStats(traces(others), t0, t1).pairwise,
        othersHalts: others.reduce((a, p) => a + halts(p.trace, t0, t1).length, 0),
        ownHalts: halts(victim.trace, t0, t1).length,
        back,
        // what the others were shown of it (its row on another page)
        shownAs: statusesOf(pages[0].reported, victim.name, t0, t1),
      };
      say(`throttle: the others halted ${throttleFig.othersHalts} times; ${victim.name} back within ${TOL_MS} ms ${back === null ? 'never' : `${back.toFixed(0)} ms after its reload`}`);

      // the host running the room's watch actor dies mid-play; the other takes its partitions over
      const killWindow = Math.max(windowMs, LEASE_TTL_MS + 5000);
      await seek(RESTART_AT);
      await sleep(1000);
      const host = await s.hostOf(room);
      const epochBefore = current().epoch;
      say(`kill: SIGKILL ${host} (it runs the room's watch actor)`);
      const tk = Date.now();
      await s.kill(host);
      await sleep(killWindow);
      const tEnd = Date.now();
      await drain();
      // asked after the kill: an answer the dead host gave just before can arrive after it on a busy machine
      const answered = polls.filter((p) => p.sent > tk).sort((a, b) => a.t - b.t)[0];
      const kill: WatchFigures['kill'] = {
        host, ms: tEnd - tk,
        takeoverMs: answered ? answered.t - tk : null,
        epochKept: answered ? answered.tl.epoch === epochBefore : null,
        maxJump: Math.max(...pages.map((p) => jumps(p.trace, tk, tEnd).max)),
        visibleJumps: pages.reduce((a, p) => a + jumps(p.trace, tk, tEnd).visible, 0),
        halts: pages.reduce((a, p) => a + halts(p.trace, tk, tEnd).length, 0),
        driftAfter: driftStats(traces(), tk, tEnd).pairwise,
      };
      say(`kill: max jump ${kill.maxJump.toFixed(0)} ms, ${kill.halts} halts; the timeline answers again after ${kill.takeoverMs ?? '-'} ms`);

      // where the time after a seek (or load, or resume) went: to the start the room set, the
      // start push's way to the pages, their play(), and the rest until everyone was together
      const spent = starts.map((x) => ({ x, s: startLags(pages, x.epoch) })).filter((y) => y.s && y.x.what === 'seek');
      const worst = (v: (number | null)[]) => Math.max(...v.filter((z): z is number => z !== null));
      const startsFig: WatchFigures['starts'] = {
        n: spent.length,
        toStart: summarize(spent.map((y) => y.s!.at - y.x.t0)),
        pushLate: summarize(spent.map((y) => worst(y.s!.lags.map((l) => l.push))).filter(Number.isFinite)),
        playLate: summarize(spent.map((y) => worst(y.s!.lags.map((l) => l.play))).filter(Number.isFinite)),
        settle: summarize(spent.filter((y) => y.x.after !== null).map((y) => y.x.t0 + y.x.after! - y.s!.at)),
      };
      // pages and servers read one machine's clock (the check above), so an estimate's size is its error
      const victimName = pages[n - 1].name;
      const clockEstimates = summarize([...pages, ...closed].filter((p) => p.name !== victimName).flatMap((p) => p.clocks.map((c) => Math.abs(c.offset))));
      const figures: WatchFigures = { pages: n, clip: clip.label, storageNodes: s.storage.length, clock, clockEstimates, holdMs: HOLD_MS, machine: { cores: os.cpus().length, loadBefore, loadAfter: os.loadavg()[0] }, start, steady, seeks, starts: startsFig, pause, resume, joiner: joinerFig, throttle: throttleFig, kill };
      printWatchFigures(figures);
      const problems = pages.flatMap((p) => p.problems.map((x) => `${p.name}: ${x}`));
      const clicks = pages.reduce((a, p) => a + p.joinClicks, 0);
      if (clicks) console.log(`the autoplay fallback button was clicked ${clicks} times`);
      if (problems.length) console.log(`page errors (${problems.length}):\n  ${problems.slice(0, 10).join('\n  ')}`);
      console.log(`(ran ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      return { rows: watchRows(figures) };
    } finally {
      polling = false;
      if (drainer) clearInterval(drainer);
      if (poller) clearInterval(poller);
      // TROUPE_BENCH_WATCH_DUMP=<file>: everything recorded, to look at where drift comes from
      if (dumpTo) {
        for (const p of pages) await drainPage(p).catch(() => {});
        fs.writeFileSync(dumpTo, JSON.stringify({ marks, polls, pages: [...pages, ...closed].map((p) => ({ name: p.name, gateway: p.gateway, trace: p.trace, reported: p.reported, pushes: p.pushes, clocks: p.clocks, problems: p.problems })) }));
        process.stderr.write(`watch: recordings written to ${dumpTo}\n`);
      }
      for (const p of [...pages, ...(joiner ? [joiner] : [])]) await closePage(p);
      await browser?.close().catch(() => {});
      await sys?.stop();
    }
  },
};
