// The WebSocket edge: one text message = one envelope.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { Connection, type ConnectionHost, type Transport } from './connection.ts';
import { gatewayMetrics as m } from './metrics.ts';
import { holdWrites } from './outbound.ts';

export interface WsOptions {
  maxFrameBytes: number;
  discardLimitBytes: number;
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
      // a server's frames are not masked: ws frames the shared bytes without copying them
      sendEncoded: (e) => {
        holdWrites(socket);
        ws.send(e.bytes, { binary: false });
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
