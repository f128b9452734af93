// The TCP edge: length-prefixed frames (protocol/frame.ts) to and from a Connection.
import net from 'node:net';
import { FrameDecoder } from '../protocol/mod.ts';
import { Connection, type ConnectionHost, type Transport } from './connection.ts';
import { gatewayMetrics as m } from './metrics.ts';
import { holdWrites } from './outbound.ts';

export interface TcpOptions {
  maxFrameBytes: number;
  discardLimitBytes: number;
}

export function tcpConnection(socket: net.Socket, host: ConnectionHost, opts: TcpOptions): Connection {
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 30_000);
  const transport: Transport = {
    kind: 'tcp',
    remote: `${socket.remoteAddress}:${socket.remotePort}`,
    sendText(text) {
      const body = Buffer.from(text, 'utf8');
      const head = Buffer.allocUnsafe(4);
      head.writeUInt32BE(body.length, 0);
      holdWrites(socket);
      socket.write(head);
      socket.write(body);
    },
    sendEncoded(e) {
      holdWrites(socket);
      socket.write(e.tcpFrame);
    },
    bufferedBytes: () => socket.writableLength,
    close() {
      socket.end();
      // a peer that never reads must not hold the socket open forever
      setTimeout(() => socket.destroy(), 2000).unref();
    },
  };
  const conn = new Connection(transport, host);
  const decoder = new FrameDecoder(opts);
  socket.on('data', (chunk: Buffer) => {
    m.bytesIn.labels('tcp').inc(chunk.length);
    for (const ev of decoder.push(chunk)) {
      switch (ev.type) {
        case 'frame': conn.onText(ev.text); break;
        case 'empty': conn.onFrameError('bad_frame', 'empty frame (length 0)', false); break;
        case 'bad_utf8': conn.onFrameError('bad_frame', 'frame is not valid UTF-8', false); break;
        case 'too_large':
          conn.onFrameError('frame_too_large', `frame of ${ev.length} bytes exceeds the limit of ${opts.maxFrameBytes}${ev.fatal ? '; closing' : '; skipped'}`, ev.fatal);
          break;
      }
      if (!conn.isOpen) break;
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => conn.onClosed());
  return conn;
}
