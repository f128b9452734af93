// What a client transport is. Node opens TCP or WebSocket (transport-node.ts); a browser opens its own
// WebSocket (transport-browser.ts). package.json "imports" maps #client-transport to one of them by
// the "browser" condition, so the library has one source and the web bundle carries no Node modules.

export interface ClientTransport {
  send(text: string): void;
  close(): void;
  /** Bytes queued for sending (for backpressure in benchmarks). */
  buffered(): number;
}

export interface TransportEvents {
  onText(text: string): void;
  onClose(reason: string): void;
}
