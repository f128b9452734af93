// Client transports in Node: TCP (length-prefixed frames) and WebSocket (one text message per
// envelope, through the ws package). The browser build uses transport-browser.ts instead (package.json
// "imports" picks one by the "browser" condition).
import net from 'node:net';
import WebSocket from 'ws';
import { FrameDecoder } from '../frame.ts';

import type { ClientTransport, TransportEvents } from './transport.ts';

/** Opens `tcp://host:port` or `ws://host:port/ws` (also wss://). */
export function openTransport(url: string, events: TransportEvents, timeoutMs = 10_000): Promise<ClientTransport> {
  const u = new URL(url);
  if (u.protocol === 'tcp:') return openTcp(u.hostname, Number(u.port || 7070), events, timeoutMs);
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return openWs(url, events, timeoutMs);
  throw new Error(`unsupported URL ${url}: use tcp://host:port or ws://host:port/ws`);
}

function openTcp(host: string, port: number, events: TransportEvents, timeoutMs: number): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to tcp://${host}:${port} timed out`));
    }, timeoutMs);
    // Server frames can be large (history pages); the client trusts its server.
    const decoder = new FrameDecoder({ maxFrameBytes: 64 * 1024 * 1024, discardLimitBytes: 64 * 1024 * 1024 });
    let closed = false;
    let opened = false;
    // a connection that never opened is reported by the rejection alone, not as a close
    const finish = (reason: string) => {
      if (closed || !opened) return;
      closed = true;
      events.onClose(reason);
    };
    socket.once('connect', () => {
      clearTimeout(timer);
      opened = true;
      resolve({
        send(text) {
          const body = Buffer.from(text, 'utf8');
          const head = Buffer.allocUnsafe(4);
          head.writeUInt32BE(body.length, 0);
          socket.write(Buffer.concat([head, body]));
        },
        close() {
          socket.end();
          setTimeout(() => socket.destroy(), 1000).unref();
        },
        buffered: () => socket.writableLength,
      });
    });
    socket.on('data', (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) if (ev.type === 'frame') events.onText(ev.text);
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
      finish(e.message);
    });
    socket.on('close', () => finish('closed'));
  });
}

function openWs(url: string, events: TransportEvents, timeoutMs: number): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    let closed = false;
    let opened = false;
    ws.once('open', () => {
      opened = true;
      resolve({
        send: (text) => ws.send(text),
        close: () => ws.close(1000),
        buffered: () => ws.bufferedAmount,
      });
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) events.onText(data.toString());
    });
    ws.on('error', (e) => reject(e));
    ws.on('close', (code, reason) => {
      if (closed || !opened) return;
      closed = true;
      events.onClose(`${code} ${reason.toString()}`.trim());
    });
  });
}
