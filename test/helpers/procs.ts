// Troupe role processes for tests that need real process failures (SIGKILL, SIGSTOP).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../lib/mod.ts';
import { troupeArgv } from '../../ops/bundles.mjs';

/** Children still running when the test process exits are killed (one hook for all of them). */
const living = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of living) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone
    }
  }
});

export class RoleProcess {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly name: string, readonly child: ChildProcess, logFile?: string) {
    const sink = logFile ? fs.createWriteStream(logFile) : undefined;
    const add = (b: Buffer) => {
      this.output += b.toString();
      if (this.output.length > 4_000_000) this.output = this.output.slice(-2_000_000);
      sink?.write(b);
    };
    child.stdout!.on('data', add);
    child.stderr!.on('data', add);
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
    living.add(child);
    child.once('exit', () => living.delete(child));
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.output);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms; output:\n${this.output.slice(-3000)}`);
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited (${this.child.exitCode}) before ${pattern}; output:\n${this.output.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** JSON log lines of this process. */
  logs(): Record<string, unknown>[] {
    return this.output.split('\n').filter((l) => l.startsWith('{')).map((l) => { try { return JSON.parse(l); } catch { return {}; } });
  }
}

/** Runs `troupe <role> ...` with the given environment. */
export function spawnRole(name: string, args: string[], env: Record<string, string>, logFile?: string): RoleProcess {
  const child = spawn(process.execPath, troupeArgv(args), {
    cwd: projectRoot,
    env: { ...process.env, TROUPE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new RoleProcess(name, child, logFile);
}
