// Outbound frames, made once and written many times: a push that goes to many connections (a room
// event) is serialized once per gateway, its UTF-8 bytes, its TCP frame and its WebSocket frame made
// once, and each connection gets the same bytes in one write. Socket writes made during one turn of the event loop are held
// (cork) and go out together when the turn ends (uncork), so a connection that gets several
// pushes at once costs one system call, not one per push.
import type { Duplex } from 'node:stream';

/**
 * An envelope serialized once: its JSON text, its UTF-8 bytes, and its length-prefixed TCP frame and
 * WebSocket frame (each made when first needed).
 */
export class Encoded {
  readonly bytes: Buffer;
  private tcp?: Buffer;
  private ws?: Buffer;

  constructor(readonly text: string) {
    this.bytes = Buffer.from(text, 'utf8');
  }

  static of(envelope: object): Encoded {
    return new Encoded(JSON.stringify(envelope));
  }

  /** 4-byte big-endian length + the bytes (protocol/frame.ts), shared by every TCP connection. */
  get tcpFrame(): Buffer {
    if (!this.tcp) {
      this.tcp = Buffer.allocUnsafe(4 + this.bytes.length);
      this.tcp.writeUInt32BE(this.bytes.length, 0);
      this.bytes.copy(this.tcp, 4);
    }
    return this.tcp;
  }

  /**
   * One unmasked, unfragmented, uncompressed WebSocket text frame of the bytes (RFC 6455 5.2: FIN +
   * opcode 1, then the length in 7, 7+16 or 7+64 bits), as a server sends it: the same for every
   * connection. ws.send() would build a header and write header and payload for each connection
   * (the larger part of a room delivery's CPU in the gateway, profiled).
   */
  get wsFrame(): Buffer {
    if (!this.ws) {
      const n = this.bytes.length;
      const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
      this.ws = Buffer.allocUnsafe(head + n);
      this.ws[0] = 0x81;
      if (n < 126) this.ws[1] = n;
      else if (n < 65536) {
        this.ws[1] = 126;
        this.ws.writeUInt16BE(n, 2);
      } else {
        this.ws[1] = 127;
        this.ws.writeBigUInt64BE(BigInt(n), 2);
      }
      this.bytes.copy(this.ws, head);
    }
    return this.ws;
  }
}

const corked = new Set<Duplex>();
let flushing = false;

function uncorkAll(): void {
  flushing = false;
  for (const s of corked) if (!s.destroyed) s.uncork();
  corked.clear();
}

/**
 * Holds the socket's writes until the current turn of the event loop ends (setImmediate), so
 * everything written to it meanwhile leaves in one system call.
 */
export function holdWrites(socket: Duplex): void {
  if (corked.has(socket) || socket.destroyed) return;
  socket.cork();
  corked.add(socket);
  if (!flushing) {
    flushing = true;
    setImmediate(uncorkAll);
  }
}
