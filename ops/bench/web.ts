// npm run bench -- web: the web client in Chromium (Debian's, headless) against a system in this
// process: the bundle's bytes against the 150 KiB gzip budget; the time from "Sign in" to the
// first rendered message; the time to load and render 1,000 and 10,000 messages of history
// (scrolling up, pages of 200) and the frames while scrolling through them. Baselines measured in
// the same run: the same requests from a protocol client in Node (what the network and the system
// cost without the browser), and a static page with the same number of plain rows (what the
// browser costs without windowing).
import type { Page } from 'playwright-core';
import { TroupeClient } from '../../protocol/client/mod.ts';
import { startHostRole, startGatewayRole } from '../roles.ts';
import { ensureWebBundle, bundleSizes } from '../../gateway/web/mod.ts';
import { launchChromium, ensureChromium } from '../chromium.ts';
import { formatBytes } from '../transfer.ts';
import { benchEnv, connectAs, percentiles } from './harness.ts';
import type { Benchmark } from './mod.ts';

const BUDGET_GZIP = 150 * 1024;
const PASSWORD = 'bench-password';

async function seed(client: TroupeClient, target: { room?: string; to?: number }, count: number, tag: string): Promise<string> {
  let room = '';
  let next = 0;
  let done = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: 24 }, async () => {
    while (next < count) {
      const i = next++;
      const body = i % 7 === 0 ? `${tag} message ${i}: a longer one, to make rows of different heights — ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 5))}` : `${tag} message ${i}`;
      for (let attempt = 0; ; attempt++) {
        try {
          room = (await client.request('chat.send', { ...target, clientMsgId: `${tag}-${i}`, body }, { timeoutMs: 20_000 })).room;
          break;
        } catch (e) {
          if (attempt > 5) throw e;
        }
      }
      if (++done % 1000 === 0) process.stderr.write(`  seeding ${tag}: ${done}/${count} (${Math.round(done / ((Date.now() - started) / 1000))}/s)\r`);
    }
  }));
  process.stderr.write(' '.repeat(60) + '\r');
  return room;
}

/** Node baseline: connect, log in and fetch `total` entries of a room in pages of 200 (newest page first: 50). */
async function protocolBaseline(wsUrl: string, name: string, room: string, total: number): Promise<{ first: number; all: number }> {
  const t0 = performance.now();
  const c = await TroupeClient.connect(wsUrl, { reconnect: false, heartbeatMs: 0, device: { type: 'bot' } });
  try {
    await c.login(name, PASSWORD);
    let page = await c.request('chat.history', { room, limit: 50 });
    const first = performance.now() - t0;
    let have = page.messages.length;
    while (page.more && have < total) {
      page = await c.request('chat.history', { room, before: page.messages[0].seq, limit: 200 });
      have += page.messages.length;
    }
    return { first, all: performance.now() - t0 };
  } finally {
    await c.close();
  }
}

// The in-page code is plain JavaScript text: functions handed to page.evaluate would carry the
// helpers tsx adds to named functions, which the page does not have.
const LOAD_ALL = `(async () => {
  const el = document.querySelector('[data-testid="messages"]');
  const t0 = performance.now();
  while (!el.textContent.includes('This is the beginning of the conversation.')) {
    el.scrollTop = 0;
    await new Promise((r) => setTimeout(r, 16));
  }
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
})()`;

const SCROLL = (selector: string) => `(async () => {
  const el = document.querySelector(${JSON.stringify(selector)});
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  el.scrollTop = 0;
  await frame();
  let longTasks = 0;
  const po = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
  try { po.observe({ type: 'longtask' }); } catch { }
  const frames = [];
  let rowsInDom = 0;
  const step = Math.max(50, el.clientHeight / 2);
  while (el.scrollTop + el.clientHeight < el.scrollHeight - 2 && frames.length < 3000) {
    const t = performance.now();
    el.scrollTop += step;
    await frame();
    frames.push(performance.now() - t);
    rowsInDom = Math.max(rowsInDom, el.querySelectorAll('[data-testid="message"], .plain-row').length);
  }
  po.disconnect();
  return { frames, longTasks, rowsInDom };
})()`;

const STATIC_PAGE = (count: number) => `(() => {
  const t0 = performance.now();
  const box = document.createElement('div');
  box.style.cssText = 'height:760px;overflow-y:auto;font:15px system-ui,sans-serif';
  box.id = 'plain';
  for (let i = 0; i < ${count}; i++) {
    const row = document.createElement('div');
    row.className = 'plain-row';
    row.style.cssText = 'padding:4px 16px';
    const who = document.createElement('b');
    who.textContent = 'bob ';
    row.append(who, document.createTextNode(i % 7 === 0 ? 'message ' + i + ': a longer one ' + 'lorem ipsum dolor sit amet '.repeat(1 + (i % 5)) : 'message ' + i));
    box.append(row);
  }
  document.body.append(box);
  void box.scrollHeight;
  return performance.now() - t0;
})()`;

/** Scrolls up in the open conversation until its beginning is loaded and rendered; ms. */
function loadAllHistory(page: Page): Promise<number> {
  return page.evaluate(LOAD_ALL) as Promise<number>;
}

interface ScrollStats {
  frames: number[];
  longTasks: number;
  rowsInDom: number;
}

/** Scrolls `selector` from top to bottom in steps of half a screen, timing each step to the frame after it. */
function scrollThrough(page: Page, selector: string): Promise<ScrollStats> {
  return page.evaluate(SCROLL(selector)) as Promise<ScrollStats>;
}

/** The browser baseline: a static page with `n` plain message rows (no framework, no windowing). */
async function staticBaseline(page: Page, n: number): Promise<{ renderMs: number; scroll: ScrollStats }> {
  await page.goto('about:blank');
  const renderMs = (await page.evaluate(STATIC_PAGE(n))) as number;
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return { renderMs, scroll: await scrollThrough(page, '#plain') };
}

function frameLine(label: string, s: ScrollStats): string {
  const p = percentiles(s.frames);
  const max = s.frames.length ? Math.max(...s.frames) : NaN;
  return `${label.padEnd(44)} ${String(s.frames.length).padStart(6)} ${p.p50.toFixed(1).padStart(8)} ${p.p99.toFixed(1).padStart(8)} ${max.toFixed(1).padStart(8)} ${String(s.longTasks).padStart(6)} ${String(s.rowsInDom).padStart(7)}`;
}

export const webBench: Benchmark = {
  name: 'web',
  summary: 'the web client in Chromium: bundle size vs budget, first message after sign-in, 1,000 and 10,000 messages loaded and scrolled',
  flags: {
    messages: { type: 'string', help: 'web: messages in the conversation loaded and scrolled', default: '1000' },
    big: { type: 'string', help: 'web: messages in the large conversation (0 skips it)', default: '10000' },
  },
  async run({ flags }) {
    const count = Math.max(50, Number(flags.messages) || 1000);
    const big = Math.max(0, Number(flags.big ?? 10000) || 0);
    const { manifest } = await ensureWebBundle({ say: (m) => console.log(m) });
    const size = bundleSizes(manifest);
    console.log(`web client bundle (JS + CSS): ${formatBytes(size.bytes)} raw, ${formatBytes(size.gzip)} gzip, ${formatBytes(size.brotli)} brotli; budget ${formatBytes(BUDGET_GZIP)} gzip: ${(100 * size.gzip / BUDGET_GZIP).toFixed(0)} % used`);
    ensureChromium();
    const env = await benchEnv({ partitions: 16, rateBurst: 5000, ratePerSecond: 5000, maxInFlight: 64, httpPort: 0, tcpPort: 0, bind: '127.0.0.1' });
    const hostNc = await connectAs(env.config, 'host', 'bench-host');
    const host = await startHostRole(hostNc, env.database, env.config, 'bench-host');
    const gwNc = await connectAs(env.config, 'gateway', 'bench-gw');
    const gateway = await startGatewayRole(gwNc, env.config, 'bench-gw');
    const browser = await launchChromium();
    const clients: TroupeClient[] = [];
    try {
      const wsUrl = `ws://127.0.0.1:${gateway.httpPort}/ws`;
      const web = `http://127.0.0.1:${gateway.httpPort}/`;
      const open = async (name: string) => {
        const c = await TroupeClient.connect(wsUrl, { reconnect: false, heartbeatMs: 0, device: { type: 'cli' } });
        clients.push(c);
        await c.register(name, PASSWORD);
        await c.login(name, PASSWORD);
        return c;
      };
      const alice = await open('alice');
      const bob = await open('bob');
      console.log(`seeding ${count}${big ? ` and ${big}` : ''} messages through the gateway ...`);
      const direct = await seed(bob, { to: alice.user!.id }, count, 'direct');
      let bigRoom = '';
      if (big) {
        bigRoom = (await alice.request('rooms.create', { name: 'Big', members: [bob.user!.id] })).room.id;
        await seed(bob, { room: bigRoom }, big, 'big');
      }

      // time to the first rendered message after "Sign in" (the address names the conversation)
      const firsts: number[] = [];
      const baselineFirsts: number[] = [];
      for (let round = 0; round < 5; round++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${web}#/r/${direct}`);
        await page.getByLabel('Name').fill('alice');
        await page.getByLabel('Password').fill(PASSWORD);
        const t0 = Date.now();
        await page.getByRole('button', { name: 'Sign in' }).first().click();
        await page.locator('[data-testid="message"]').first().waitFor({ timeout: 30_000 });
        firsts.push(Date.now() - t0);
        await context.close();
        baselineFirsts.push((await protocolBaseline(wsUrl, 'alice', direct, 0)).first);
      }

      const rows: string[] = [];
      const measureRoom = async (room: string, n: number) => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${web}#/r/${room}`);
        await page.getByLabel('Name').fill('alice');
        await page.getByLabel('Password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).first().click();
        await page.locator('[data-testid="message"]').first().waitFor({ timeout: 30_000 });
        const loadMs = await loadAllHistory(page);
        const scroll = await scrollThrough(page, '[data-testid="messages"]');
        const base = await protocolBaseline(wsUrl, 'alice', room, n);
        const plain = await staticBaseline(page, n);
        await context.close();
        return { loadMs, scroll, base, plain };
      };
      const small = await measureRoom(direct, count);
      const large = big ? await measureRoom(bigRoom, big) : null;

      const p = (v: number[]) => percentiles(v).p50;
      const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(0)} ms`).padStart(11);
      console.log(`\n${'measurement'.padEnd(50)} ${'web client'.padStart(11)} ${'Node client'.padStart(11)} ${'static page'.padStart(11)}`);
      const line = (label: string, web: number, node: number, plain: number | null) => console.log(`${label.padEnd(50)} ${ms(web)} ${ms(node)} ${ms(plain)}`);
      line('first message rendered after Sign in (p50 of 5)', p(firsts), p(baselineFirsts), null);
      line(`${count} messages loaded and rendered (scrolling up)`, small.loadMs, small.base.all - small.base.first, small.plain.renderMs);
      if (large) line(`${big} messages loaded and rendered (scrolling up)`, large.loadMs, large.base.all - large.base.first, large.plain.renderMs);
      console.log('(Node client: the same requests from a protocol client in Node, so what the system and network take;\n static page: the same number of plain rows put in a page at once, without a framework or windowing)');
      console.log(`\n${'scrolling top to bottom, half a screen a step'.padEnd(44)} ${'steps'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'long'.padStart(6)} ${'in DOM'.padStart(7)}`);
      rows.push(frameLine(`web client, ${count} messages`, small.scroll), frameLine(`static page, ${count} plain rows (baseline)`, small.plain.scroll));
      if (large) rows.push(frameLine(`web client, ${big} messages`, large.scroll), frameLine(`static page, ${big} plain rows (baseline)`, large.plain.scroll));
      for (const r of rows) console.log(r);
      console.log('\n(step: from setting scrollTop to the second animation frame after it; long: tasks over 50 ms; in DOM: most message rows in the document at once)');
      return { rows: [] };
    } finally {
      await browser.close().catch(() => {});
      for (const c of clients) await c.close().catch(() => {});
      await gateway.stop();
      await gwNc.close();
      await host.stop();
      await hostNc.close();
      await env.close();
    }
  },
};
