// The web client's Content-Security-Policy. Scripts and styles come from this origin only, never
// inline. The page talks to two kinds of servers: its gateway (same origin: HTTP and the
// WebSocket, which 'self' covers) and the storage nodes, which are other origins (other ports or
// hosts): uploads go to them with XMLHttpRequest, images and videos load from them. Those origins
// are named one by one, as the gateway knows them from the KV nodes registry when it serves the
// page, rather than allowing every http: origin: a script that got in anyway could not send data
// to a server of its choosing. A node that joins later is allowed after a reload (index.html is
// never cached); until then the client uses the grant's other nodes. The other live gateways'
// WebSocket origins are named in connect-src the same way: when this page's gateway goes, the
// client library moves its WebSocket to one of them (failover).

/** The origin (`http://host:port`) of a storage node URL, or null when it is not http(s). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The origin (`ws://host:port`) of a gateway's WebSocket URL, or null when it is not ws(s). */
export function wsOriginOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'ws:' || u.protocol === 'wss:' ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

export function contentSecurityPolicy(storageUrls: readonly string[], gatewayWsUrls: readonly string[] = []): string {
  const nodes = [...new Set(storageUrls.map(originOf).filter((o): o is string => o !== null))].sort();
  const gateways = [...new Set(gatewayWsUrls.map(wsOriginOf).filter((o): o is string => o !== null))].sort();
  const media = ["'self'", 'blob:', ...nodes].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${media}`,
    `media-src ${media}`,
    `connect-src ${["'self'", ...nodes, ...gateways].join(' ')}`,
    "font-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
