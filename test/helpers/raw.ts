// A raw TCP client for feeding a gateway exactly the bytes a test wants.
import net from 'node:net';
import { FrameDecoder, encodeFrame } from '../../protocol/mod.ts';

export class RawTcp {
  readonly frames: Record<string, unknown>[] = [];
  closed = false;
  private waiters: (() => void)[] = [];
  private constructor(readonly socket: net.Socket) {
    const d = new FrameDecoder({ maxFrameBytes: 1 << 26, discardLimitBytes: 1 << 26 });
    socket.on('data', (c: Buffer) => {
      for (const e of d.push(c)) if (e.type === 'frame') this.frames.push(JSON.parse(e.text));
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RawTcp> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => resolve(new RawTcp(s)));
      s.once('error', reject);
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(b: Buffer | string): void {
    if (!this.socket.destroyed) this.socket.write(b);
  }

  send(v: unknown): void {
    this.write(encodeFrame(v));
  }

  /** Waits until `n` frames have arrived in total (or the socket closed). */
  async until(pred: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 500)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  async frame(i: number): Promise<Record<string, unknown>> {
    await this.until(() => this.frames.length > i || this.closed);
    if (this.frames.length <= i) throw new Error(`connection closed after ${this.frames.length} frames`);
    return this.frames[i];
  }

  async reply(rid: number): Promise<Record<string, unknown>> {
    await this.until(() => this.frames.some((f) => f.rid === rid) || this.closed);
    const f = this.frames.find((x) => x.rid === rid);
    if (!f) throw new Error(`closed without an answer to rid ${rid}`);
    return f;
  }

  close(): void {
    this.socket.destroy();
  }
}
