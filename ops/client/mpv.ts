// mpv driven over its JSON IPC (https://mpv.io/manual/stable/#json-ipc): one child process, one
// Unix socket, commands correlated by request_id, property changes observed with the local time
// they arrived (so a position can be extrapolated between frames). Debian package `mpv`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TroupeError } from '../../protocol/mod.ts';

/** The mpv binary on PATH, or null. */
export function findMpv(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v mpv'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

export interface MpvOptions {
  /** No window and no sound (servers, tests): --vo=null --ao=null. */
  headless?: boolean;
  title?: string;
  /** Extra mpv arguments. */
  args?: string[];
}

type Observer = (value: unknown, at: number) => void;

export class Mpv {
  private socket!: net.Socket;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly observers = new Map<number, { name: string; fn: Observer }>();
  private readonly eventListeners = new Set<(e: { event: string; [k: string]: unknown }) => void>();
  readonly exited: Promise<number | null>;
  private closed = false;

  private constructor(private readonly child: ChildProcess, private readonly dir: string) {
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  static async start(opts: MpvOptions = {}): Promise<Mpv> {
    const bin = findMpv();
    if (!bin) throw new TroupeError('unavailable', 'mpv is not installed: install the Debian package mpv (sudo apt-get install mpv)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'troupe-mpv-'));
    const sock = path.join(dir, 'ipc.sock');
    const args = [
      '--idle=yes', '--keep-open=yes', '--pause', '--no-terminal', `--input-ipc-server=${sock}`,
      // exact seeks (the room's position, not the nearest key frame) and a cache to ride out slow reads
      '--hr-seek=yes', '--cache=yes', '--demuxer-readahead-secs=20',
      `--title=${opts.title ?? 'Troupe'}`,
      ...(opts.headless ? ['--vo=null', '--ao=null'] : ['--force-window=yes']),
      ...(opts.args ?? []),
    ];
    const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    const mpv = new Mpv(child, dir);
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await mpv.connect(sock);
        return mpv;
      } catch {
        if (child.exitCode !== null || Date.now() > deadline) {
          child.kill('SIGKILL');
          fs.rmSync(dir, { recursive: true, force: true });
          throw new TroupeError('unavailable', `mpv did not open its IPC socket: ${stderr.trim() || `exit ${child.exitCode}`}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  private connect(sock: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect(sock);
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        this.socket = s;
        let buf = '';
        s.on('data', (d: Buffer) => {
          const at = performance.timeOrigin + performance.now();
          buf += d.toString('utf8');
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            if (line) this.onLine(line, at);
          }
        });
        s.on('error', () => {});
        s.on('close', () => this.onClose());
        resolve();
      });
    });
  }

  private onLine(line: string, at: number): void {
    let m: Record<string, unknown>;
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof m.request_id === 'number' && this.pending.has(m.request_id)) {
      const p = this.pending.get(m.request_id)!;
      this.pending.delete(m.request_id);
      if (m.error === 'success') p.resolve(m.data);
      else p.reject(new Error(`mpv: ${String(m.error)}`));
      return;
    }
    if (m.event === 'property-change' && typeof m.id === 'number') this.observers.get(m.id)?.fn(m.data ?? null, at);
    else if (typeof m.event === 'string') for (const fn of this.eventListeners) fn(m as { event: string });
  }

  private onClose(): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('mpv closed'));
    this.pending.clear();
  }

  get running(): boolean {
    return !this.closed && this.child.exitCode === null;
  }

  /** Runs an mpv command (`["set_property", "pause", true]`, `["seek", 12.5, "absolute+exact"]`…). */
  command(...args: unknown[]): Promise<unknown> {
    if (!this.running) return Promise.reject(new Error('mpv is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(JSON.stringify({ command: args, request_id: id }) + '\n');
    });
  }

  /** Calls fn with every value of a property (and the local time the change arrived). */
  async observe(name: string, fn: Observer): Promise<void> {
    const id = this.observers.size + 1;
    this.observers.set(id, { name, fn });
    await this.command('observe_property', id, name);
  }

  onEvent(fn: (e: { event: string; [k: string]: unknown }) => void): void {
    this.eventListeners.add(fn);
  }

  async quit(): Promise<void> {
    if (this.running) {
      await this.command('quit').catch(() => {});
      const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await this.exited;
      clearTimeout(t);
    }
    this.socket?.destroy();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
