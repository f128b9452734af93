// The watch benchmark's Chromium pages: one browser context per viewer (its own session), signed
// in through the web client's form, with the room's watch view open. A script installed before
// any of the page's own records what the viewer saw: every presented video frame
// (requestVideoFrameCallback: wall time shown, media time, rate), the element's state every 50 ms
// (frames stop while paused), its media events, and the drift each viewer row showed. The
// benchmark drains those records every second. A page's network can be throttled through CDP.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Trace, Reported, Push } from './watch-analysis.ts';

// Plain JavaScript text: functions handed to Playwright would carry tsx's helpers, which the page
// lacks. Times are performance.timeOrigin-based wall times (ms since the epoch, sub-ms), the same
// clock in every page and in Node on this machine.
const SAMPLER = `(() => {
  if (window.__wb) return;
  const wb = window.__wb = { f: [], k: [], e: [], r: [], p: [], c: [] };
  let clock = '';
  const origin = performance.timeOrigin;
  const now = () => origin + performance.now();
  // when each watch.timeline push reached the page (a listener before the app's own; it reads, never alters)
  const WS = window.WebSocket;
  window.WebSocket = class extends WS {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string' || !ev.data.includes('"watch.timeline"')) return;
        try {
          const m = JSON.parse(ev.data);
          if (m.op === 'watch.timeline' && m.timeline) wb.p.push([now(), m.timeline.epoch, m.timeline.state, m.timeline.at, m.cause || '']);
        } catch { }
      });
    }
  };
  let video = null;
  const rows = new Map();
  const attach = (v) => {
    video = v;
    const onFrame = (t, md) => {
      if (video !== v) return;
      wb.f.push([origin + (md.expectedDisplayTime || t), md.mediaTime * 1000, v.playbackRate, v.paused ? 1 : 0]);
      v.requestVideoFrameCallback(onFrame);
    };
    v.requestVideoFrameCallback(onFrame);
    for (const type of ['pause', 'play', 'waiting', 'playing', 'seeking', 'seeked']) {
      v.addEventListener(type, () => { if (video === v) wb.e.push([now(), type, v.currentTime * 1000]); });
    }
  };
  let n = 0;
  setInterval(() => {
    const v = document.querySelector('video[data-testid="watch-video"]');
    if (v && v !== video) attach(v);
    if (video) wb.k.push([now(), video.currentTime * 1000, video.playbackRate, video.paused ? 1 : 0, video.seeking ? 1 : 0]);
    if (++n % 5) return;
    // the page's own estimate of the server's clock (the watch view shows it on its note)
    const note = document.querySelector('[data-testid="watch-note"]');
    const est = note ? (note.getAttribute('data-clock-offset') || '') + '|' + (note.getAttribute('data-clock-uncertainty') || '') : '';
    if (est !== clock && note && note.getAttribute('data-clock-offset')) {
      clock = est;
      wb.c.push([now(), Number(note.getAttribute('data-clock-offset')), Number(note.getAttribute('data-clock-uncertainty'))]);
    }
    document.querySelectorAll('[data-testid="watch-viewer"]').forEach((row, i) => {
      const key = row.getAttribute('data-viewer') || row.getAttribute('data-name') || String(i);
      const drift = row.getAttribute('data-drift') || '';
      const status = row.getAttribute('data-status') || '';
      if (rows.get(key) === drift + '|' + status) return;
      rows.set(key, drift + '|' + status);
      wb.r.push([now(), key, drift, status]);
    });
  }, 50);
})()`;

const DRAIN = `(() => {
  const wb = window.__wb;
  if (!wb) return null;
  const out = { f: wb.f, k: wb.k, e: wb.e, r: wb.r, p: wb.p, c: wb.c };
  wb.f = []; wb.k = []; wb.e = []; wb.r = []; wb.p = []; wb.c = [];
  return out;
})()`;

interface Drained {
  f: [number, number, number, number][];
  k: [number, number, number, number, number][];
  e: [number, string, number][];
  r: [number, string, string, string][];
  p: [number, number, string, number, string][];
  c: [number, number, number][];
}

export interface WatchPage {
  name: string;
  gateway: number;
  context: BrowserContext;
  page: Page;
  trace: Trace;
  /** The drift and status the viewer rows of this page showed (each change). */
  reported: Reported[];
  /** The watch.timeline pushes that reached the page, when. */
  pushes: Push[];
  /** The page's estimate of the server clock (server minus page, ms; each change) and its uncertainty. */
  clocks: { t: number; offset: number; uncertainty: number }[];
  /** Script errors the page reported. */
  problems: string[];
  /** Times the autoplay fallback button was clicked. */
  joinClicks: number;
  cdp?: CDPSession;
}

/** Every page of `context` records what it shows from its first script on (see SAMPLER). */
export async function recordIn(context: BrowserContext): Promise<void> {
  await context.addInitScript(SAMPLER);
}

export interface SignInOptions {
  name: string;
  password: string;
  gateway: number;
  /** The gateway's http://host:port. */
  url: string;
  /** Where the page opens, e.g. "/w/<room>" (the form comes first, then that view). */
  route: string;
  timeoutMs?: number;
}

/** A new context and page at `route`, signed in as `name` through the web client's form. */
export async function signIn(browser: Browser, o: SignInOptions): Promise<WatchPage> {
  const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
  context.setDefaultTimeout(o.timeoutMs ?? 30_000);
  await recordIn(context);
  const page = await context.newPage();
  const wp: WatchPage = { name: o.name, gateway: o.gateway, context, page, trace: { name: o.name, frames: [], ticks: [], events: [] }, reported: [], pushes: [], clocks: [], problems: [], joinClicks: 0 };
  page.on('pageerror', (e) => wp.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource|WebSocket connection to .* failed/.test(m.text())) wp.problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${o.url}/#${o.route}`);
  await page.getByLabel('Name').fill(o.name);
  await page.getByLabel('Password').fill(o.password);
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  // the watch view may not show the chat's own name badge: its video element says it is open
  if (o.route.startsWith('/w/')) await page.locator('video[data-testid="watch-video"]').waitFor({ state: 'attached' });
  else await page.getByTestId('me').filter({ hasText: o.name }).waitFor();
  return wp;
}

/** Opens the room's watch view in a signed-in page and waits for its video element. */
export async function openRoom(p: WatchPage, url: string, room: string): Promise<void> {
  await p.page.goto(`${url}/#/w/${room}`);
  await p.page.locator('video[data-testid="watch-video"]').waitFor({ state: 'attached' });
}

/** Moves what the page recorded since the last call into its trace; clicks the autoplay fallback if shown. */
export async function drainPage(p: WatchPage): Promise<void> {
  const d = (await p.page.evaluate(DRAIN).catch(() => null)) as Drained | null;
  if (d) {
    for (const [t, media, rate, paused] of d.f) p.trace.frames.push({ t, media, rate, paused: paused === 1 });
    for (const [t, media, rate, paused, seeking] of d.k) p.trace.ticks.push({ t, media, rate, paused: paused === 1, seeking: seeking === 1 });
    for (const [t, type, media] of d.e) p.trace.events.push({ t, type, media });
    for (const [t, viewer, drift, status] of d.r) p.reported.push({ t, viewer, drift: drift === '' ? null : Number(drift), status });
    for (const [t, epoch, state, at, cause] of d.p) p.pushes.push({ t, epoch, state, at, cause });
    for (const [t, offset, uncertainty] of d.c ?? []) p.clocks.push({ t, offset, uncertainty });
  }
  // the browser refused to start playback without a gesture: the view offers a button for it
  const join = p.page.locator('[data-testid="watch-join"]');
  if (await join.isVisible().catch(() => false)) {
    await join.click({ timeout: 2000 }).then(() => p.joinClicks++, () => {});
  }
}

/**
 * The page's clock against this process's (ms, page minus Node, ± half the round trip): both read
 * the machine's wall clock, so this should be about 0; the benchmark prints it as a check.
 */
export async function clockOffset(p: WatchPage): Promise<{ offset: number; rtt: number }> {
  let best = { offset: NaN, rtt: Infinity };
  // the sample with the shortest round trip bounds the offset best
  for (let i = 0; i < 5; i++) {
    const before = performance.timeOrigin + performance.now();
    const there = (await p.page.evaluate('performance.timeOrigin + performance.now()')) as number;
    const after = performance.timeOrigin + performance.now();
    if (after - before < best.rtt) best = { offset: there - (before + after) / 2, rtt: after - before };
  }
  return best;
}

export interface Throttle {
  /** kbit/s each way. */
  kbps: number;
  /** Added round trip, ms. */
  latencyMs: number;
}

/**
 * Throttles the page's network (CDP Network.emulateNetworkConditions); null lifts it. The HTTP
 * cache stays on: a reload takes the web client from it, while the movie's signed URL is new and
 * comes over the slow link.
 */
export async function throttlePage(p: WatchPage, t: Throttle | null): Promise<void> {
  if (!p.cdp) {
    p.cdp = await p.context.newCDPSession(p.page);
    await p.cdp.send('Network.enable');
  }
  const bytes = t ? (t.kbps * 1000) / 8 : -1;
  await p.cdp.send('Network.emulateNetworkConditions', { offline: false, latency: t?.latencyMs ?? 0, downloadThroughput: bytes, uploadThroughput: bytes });
}

/** Reloads the page (its session survives in sessionStorage), keeping what it recorded before. */
export async function reloadPage(p: WatchPage): Promise<void> {
  await drainPage(p);
  await p.page.reload();
  await p.page.locator('video[data-testid="watch-video"]').waitFor({ state: 'attached' });
}

export async function closePage(p: WatchPage): Promise<void> {
  await drainPage(p).catch(() => {});
  await p.cdp?.detach().catch(() => {});
  await p.context.close().catch(() => {});
}
