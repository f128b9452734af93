// Presence rules, as pure functions over the user actor's connections: one connection per device
// type (a newer login of the same type kicks the older, TeamTalk's policy) and at most
// `maxDevices` connections (the oldest goes first).

export interface Conn {
  gateway: string;
  session: number;
  device: { type: string; name?: string };
  since: number;
}

export type Conns = Record<string, Conn>;

export function connect(conns: Conns, key: string, conn: Conn, maxDevices: number): { conns: Conns; kicked: string[] } {
  if (conns[key]) return { conns, kicked: [] };
  const kicked = Object.entries(conns).filter(([, c]) => c.device.type === conn.device.type).map(([k]) => k);
  const next: Conns = {};
  for (const [k, c] of Object.entries(conns)) if (!kicked.includes(k)) next[k] = c;
  const byAge = Object.entries(next).sort((a, b) => a[1].since - b[1].since || a[0].localeCompare(b[0]));
  while (byAge.length >= maxDevices) {
    const [k] = byAge.shift()!;
    delete next[k];
    kicked.push(k);
  }
  next[key] = conn;
  return { conns: next, kicked };
}

export function disconnect(conns: Conns, key: string): Conns {
  if (!conns[key]) return conns;
  const { [key]: _gone, ...rest } = conns;
  return rest;
}

export function dropGateway(conns: Conns, gateway: string): Conns {
  const next: Conns = {};
  for (const [k, c] of Object.entries(conns)) if (c.gateway !== gateway) next[k] = c;
  return next;
}

export function deviceTypes(conns: Conns): string[] {
  return Object.values(conns).map((c) => c.device.type).sort();
}
