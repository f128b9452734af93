// The client transport in a browser: the page's own WebSocket (one text message per envelope).
// TCP does not exist there; the web client connects to ws(s)://<its origin>/ws.
import type { ClientTransport, TransportEvents } from './transport.ts';

export function openTransport(url: string, events: TransportEvents, timeoutMs = 10_000): Promise<ClientTransport> {
  const u = new URL(url);
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return Promise.reject(new Error(`unsupported URL ${url} in a browser: use ws://host:port/ws`));
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let opened = false;
    let closed = false;
    const timer = setTimeout(() => {
      reject(new Error(`connect to ${url} timed out`));
      ws.close();
    }, timeoutMs);
    ws.onopen = () => {
      clearTimeout(timer);
      opened = true;
      resolve({
        // a socket that is closing takes nothing more (the browser would log an error for it): a
        // request dropped here fails as `unavailable` when the close event follows, and its
        // caller retries it (sends keep their clientMsgId)
        send: (text) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(text);
        },
        close: () => ws.close(1000),
        buffered: () => ws.bufferedAmount,
      });
    };
    ws.onmessage = (ev) => {
      if (typeof ev.data === 'string') events.onText(ev.data);
    };
    // a browser says nothing about why a WebSocket failed; the close event that follows has the code
    ws.onerror = () => {
      clearTimeout(timer);
      if (!opened) reject(new Error(`could not connect to ${url}`));
    };
    ws.onclose = (ev) => {
      clearTimeout(timer);
      if (!opened) {
        reject(new Error(`could not connect to ${url} (${ev.code})`));
        return;
      }
      if (closed) return;
      closed = true;
      events.onClose(`${ev.code} ${ev.reason}`.trim());
    };
  });
}
