// TCP framing: 4-byte big-endian length, then that many bytes of UTF-8 JSON.
// The decoder never buffers more than one frame's worth: an oversized frame is reported and its
// bytes are skipped as they arrive (or the connection is refused when skipping is not sensible).

export const HEADER_BYTES = 4;

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, HEADER_BYTES);
  return out;
}

export type FrameEvent =
  | { type: 'frame'; text: string }
  | { type: 'empty' }
  | { type: 'bad_utf8' }
  | { type: 'too_large'; length: number; fatal: boolean };

export interface DecoderLimits {
  maxFrameBytes: number;
  /** An oversized frame no bigger than this is skipped; a bigger one is fatal. */
  discardLimitBytes: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private skipping = 0;
  private dead = false;

  constructor(private readonly limits: DecoderLimits) {}

  /** Feeds bytes; returns what they completed. After a fatal event the decoder ignores input. */
  push(chunk: Buffer): FrameEvent[] {
    if (this.dead) return [];
    const events: FrameEvent[] = [];
    let data = chunk;
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, data.length);
      this.skipping -= n;
      data = data.subarray(n);
      if (data.length === 0) return events;
    }
    this.chunks.push(data);
    this.buffered += data.length;
    while (this.buffered >= HEADER_BYTES && !this.dead) {
      const head = this.peek(HEADER_BYTES);
      const length = head.readUInt32BE(0);
      if (length > this.limits.maxFrameBytes) {
        const fatal = length > this.limits.discardLimitBytes;
        events.push({ type: 'too_large', length, fatal });
        this.consume(HEADER_BYTES);
        if (fatal) {
          this.dead = true;
          this.chunks = [];
          this.buffered = 0;
          break;
        }
        const n = Math.min(length, this.buffered);
        this.consume(n);
        this.skipping = length - n;
        continue;
      }
      if (this.buffered < HEADER_BYTES + length) break;
      this.consume(HEADER_BYTES);
      const body = this.take(length);
      if (length === 0) {
        events.push({ type: 'empty' });
        continue;
      }
      try {
        events.push({ type: 'frame', text: utf8.decode(body) });
      } catch {
        events.push({ type: 'bad_utf8' });
      }
    }
    return events;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= n) return first.subarray(0, n);
    return this.flatten().subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.flatten();
    const out = Buffer.from(all.subarray(0, n));
    this.consume(n);
    return out;
  }

  private consume(n: number): void {
    let left = n;
    while (left > 0 && this.chunks.length) {
      const first = this.chunks[0];
      if (first.length <= left) {
        left -= first.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.buffered -= n;
  }
}
