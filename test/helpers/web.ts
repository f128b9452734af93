// The web client against a whole system in the test process: nats-server, database, a host, N
// gateways (each serving the built client at /) and a storage node; headless Chromium (Debian's,
// through playwright-core) with one context per person, and the console and CSP reports of every
// page collected so a test can assert there were none.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { connectAs, type Config } from '../../lib/mod.ts';
import { startStorageNode, type StorageNode } from '../../storage/mod.ts';
import { startGatewayRole } from '../../ops/roles.ts';
import { launchChromium } from '../../ops/chromium.ts';
import { staleReason } from '../../gateway/web/mod.ts';
import { startSystem, type TestSystem } from './system.ts';
import { tempDir } from './env.ts';

export interface WebEnv {
  sys: TestSystem;
  storage: StorageNode;
  browser: Browser;
  /** Screenshots and other artifacts (the test's temp dir). */
  dir: string;
  url(gateway?: number): string;
  /** A fresh browser context (its own storage: one person) with a page open at a gateway. */
  person(name: string, gateway: number, viewport?: { width: number; height: number }): Promise<Person>;
  /** Stops gateway i and starts it again on the same ports (pages reconnect to it). */
  restartGateway(i: number, whileDown?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Script errors and CSP violations the page reported. */
  problems: string[];
  shot(label: string): Promise<string>;
}

export async function startWebEnv(opts: { gateways?: number; config?: Partial<Config> } = {}): Promise<WebEnv> {
  const reason = staleReason();
  if (reason) throw new Error(`the web client bundle is not current (${reason}): run npm test (it builds it) or npm run troupe -- web`);
  // people type and click faster than the default per-connection rate in a scripted test
  const sys = await startSystem({ gateways: opts.gateways ?? 2, restartablePorts: true, config: { rateBurst: 500, ratePerSecond: 200, storageSecret: 'web-test-secret', ...opts.config } });
  const dir = tempDir('troupe-web-');
  const storageNc = await connectAs(sys.config, 'storage', 'web-storage');
  const storage = await startStorageNode({
    group: 'g1', dataDir: path.join(dir, 'storage'), nc: storageNc, db: sys.db.database.db, secret: 'web-test-secret', httpPort: 0, bind: '127.0.0.1',
    maxUploadBytes: 5 * 1024 * 1024, idStep: 10, idStepMax: 1000, heartbeatMs: 500, shutdownGraceMs: 1000, streamReplicas: 1,
  });
  await storage.waitActive();
  const browser = await launchChromium();
  const contexts: BrowserContext[] = [];
  const ports = sys.gateways.map((g) => ({ http: g.httpPort, tcp: g.tcpPort }));
  const env: WebEnv = {
    sys, storage, browser, dir,
    url: (i = 0) => `http://127.0.0.1:${ports[i].http}/`,
    async person(name, gateway, viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        // failed requests are logged by the browser too (a gateway restarting, a refused upload):
        // those are the tests' doing; script errors and CSP refusals are not
        if (m.type() === 'error' && !/^Failed to load resource|WebSocket connection to .* failed/.test(m.text())) problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      await page.goto(env.url(gateway));
      let shots = 0;
      return {
        name, context, page, problems,
        async shot(label) {
          const file = path.join(dir, `${String(++shots).padStart(2, '0')}-${name}-${label}.png`);
          await page.screenshot({ path: file });
          return file;
        },
      };
    },
    async restartGateway(i, whileDown) {
      const gw = sys.gateways[i];
      await gw.stop();
      if (whileDown) await whileDown();
      const nc = await connectAs(sys.config, 'gateway', `test-gw-${i}-again`);
      sys.gateways[i] = await startGatewayRole(nc, { ...sys.config, httpPort: ports[i].http, tcpPort: ports[i].tcp }, `test-gw-${i}`);
      restarted.push(nc);
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await storage.stop();
      await storageNc.close();
      await sys.stop();
      for (const nc of restarted) await nc.close().catch(() => {});
    },
  };
  const restarted: Awaited<ReturnType<typeof connectAs>>[] = [];
  fs.mkdirSync(dir, { recursive: true });
  return env;
}

/**
 * Steps of a scenario that build on each other: after a failure the rest say so at once instead
 * of timing out. `onFailure` runs first (say, screenshots of every page).
 */
export function scenarioSteps(onFailure: () => Promise<void> | void = () => {}): (name: string, fn: () => Promise<void> | void) => void {
  let broken = '';
  return (name, fn) => {
    test(name, async () => {
      if (broken) throw new Error(`not run: "${broken}" failed`);
      try {
        await fn();
      } catch (e) {
        broken = name;
        await onFailure();
        throw e;
      }
    });
  };
}
