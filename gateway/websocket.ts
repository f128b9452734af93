// The WebSocket edge: one text message = one envelope.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Connection, type ConnectionHost, type Transport } from './connection.ts';
import { gatewayMetrics as m } from './metrics.ts';
import { holdWrites } from './outbound.ts';

export interface WsOptions {
  maxFrameBytes: number;
  discardLimitBytes: number;
}

/**
 * Whether a WebSocket upgrade may proceed, by its Origin header. Browsers always send one; other
 * clients (the CLI, the library in Node) send none and are let in. A page of the gateway's own
 * origin (Origin's host:port equal to Host) is the web client. Other sites' pages are refused unless
 * listed in `allowed` ('*' allows any): the protocol carries no cookies, but a gateway should not
 * become the backend of pages it does not serve, using its visitors' browsers.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && host !== undefined && u.host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Origins of the deployment's gateways, as this gateway has seen them in the KV nodes registry: a
 * page one of them served may open /ws here when its own gateway is gone (client failover), so
 * they stay known after that gateway leaves the registry. Bounded; the oldest go first.
 */
export class GatewayOrigins {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 1000) {}

  /** Records the http(s) base URLs of gateways. */
  note(httpUrls: Iterable<string>): void {
    for (const url of httpUrls) {
      let origin: string;
      try {
        const u = new URL(url);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
        origin = u.origin;
      } catch {
        continue;
      }
      this.seen.delete(origin);
      this.seen.add(origin);
      if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value!);
    }
  }

  list(): string[] {
    return [...this.seen];
  }
}

/** The wsOrigins setting as a list. */
export function parseOrigins(setting: string): string[] {
  return setting.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

export class WebSocketEdge {
  private readonly wss: WebSocketServer;

  constructor(private readonly host: ConnectionHost, private readonly opts: WsOptions, private readonly accept: (make: () => Connection) => Connection | null) {
    // Messages above the discard limit are refused by ws itself (close 1009); those between the
    // frame limit and the discard limit get an error and the connection stays.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.discardLimitBytes, perMessageDeflate: false, clientTracking: false });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, req, socket));
  }

  private attach(ws: WebSocket, req: IncomingMessage, socket: Duplex): void {
    const transport: Transport = {
      kind: 'ws',
      remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      sendText: (text) => {
        holdWrites(socket);
        ws.send(text);
      },
      // the frame made once for every connection, written straight to the socket. ws's own sender
      // writes synchronously too (no permessage-deflate here, no Blobs), so the order of frames on
      // the socket is kept; after a close has begun nothing more is sent, as ws.send would not.
      sendEncoded: (e) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        holdWrites(socket);
        socket.write(e.wsFrame);
      },
      bufferedBytes: () => ws.bufferedAmount,
      close() {
        ws.close(1000);
        setTimeout(() => ws.terminate(), 2000).unref();
      },
    };
    const conn = this.accept(() => new Connection(transport, this.host));
    if (!conn) return;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      m.bytesIn.labels('ws').inc(buf.length);
      if (isBinary) return conn.onFrameError('bad_frame', 'binary messages are not accepted; send JSON text', false);
      if (buf.length > this.opts.maxFrameBytes) return conn.onFrameError('frame_too_large', `message of ${buf.length} bytes exceeds the limit of ${this.opts.maxFrameBytes}; skipped`, false);
      conn.onText(buf.toString('utf8'));
    });
    ws.on('error', () => {});
    ws.on('close', () => conn.onClosed());
  }

  close(): void {
    this.wss.close();
  }
}
