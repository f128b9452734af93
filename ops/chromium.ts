// Debian's chromium for the browser tests and the web benchmark, driven by playwright-core
// (Playwright's own browser download needs the internet; the Debian package does not).
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Where `command -v chromium` finds it, or null. */
export function chromiumPath(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  const p = r.stdout.trim().split('\n')[0];
  return r.status === 0 && p ? p : null;
}

/** Installs chromium (and a font) with apt-get when it is missing and we are root; else says what to do. */
export function ensureChromium(say: (msg: string) => void = (m) => console.log(m)): string {
  const found = chromiumPath();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('chromium is not installed and we cannot install it: run  sudo apt-get install chromium fonts-dejavu-core');
  }
  say('chromium is missing; installing it with apt-get ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { stdio: 'inherit', env });
  let r = install();
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    r = install();
  }
  const now = chromiumPath();
  if (r.status !== 0 || !now) throw new Error('apt-get could not install chromium; install the Debian package chromium');
  return now;
}

/**
 * Headless Chromium with the flags this machine needs (no sandbox as root, no GPU, no background
 * traffic). Scripted pages may start sound without a click unless `autoplayNeedsClick` asks for
 * the policy people's browsers have.
 */
export function launchChromium(opts: { autoplayNeedsClick?: boolean } = {}): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('chromium is not installed (npm test installs it when root; else: sudo apt-get install chromium)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--autoplay-policy=${opts.autoplayNeedsClick ? 'document-user-activation-required' : 'no-user-gesture-required'}`],
  });
}
