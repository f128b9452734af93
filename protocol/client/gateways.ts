// Which gateway a client tries next, as a pure function of what it knows: the live list it was
// last given (least-loaded first), the gateway that just failed it, and the URL it was first
// given. Used by TroupeClient's failover (client.ts); no I/O here.
import type { Static } from '@sinclair/typebox';
import type { GatewayAddress } from '../gateways.ts';

export type Gateway = Static<typeof GatewayAddress>;
export type Via = 'tcp' | 'ws';

/** A gateway's URL for the given transport. */
export function gatewayUrl(g: Pick<Gateway, 'tcp' | 'ws'>, via: Via): string {
  return via === 'tcp' ? `tcp://${g.tcp}` : g.ws;
}

/** The transport a URL speaks (http(s) endpoints hand out TCP unless told otherwise). */
export function viaOf(url: string, fallback: Via = 'tcp'): Via {
  if (url.startsWith('ws:') || url.startsWith('wss:')) return 'ws';
  if (url.startsWith('tcp:')) return 'tcp';
  return fallback;
}

export const isHttpEndpoint = (url: string) => url.startsWith('http:') || url.startsWith('https:');

/**
 * The order to try gateways in after `failed` dropped us: the other known live gateways,
 * least-loaded first, then the endpoint first given (an http endpoint is asked for a fresh list
 * by the caller; a tcp/ws one is tried as it is), then the one that failed (it may be back).
 */
export function failoverOrder(known: readonly Gateway[], via: Via, endpoint: string, failed?: string): string[] {
  const out: string[] = [];
  const add = (u: string | undefined) => {
    if (u && !out.includes(u) && u !== failed) out.push(u);
  };
  for (const g of known) add(gatewayUrl(g, via));
  if (!isHttpEndpoint(endpoint)) add(endpoint);
  if (failed) out.push(failed);
  return out;
}

/** A random wait in [0, max): clients told to move at once do not all arrive at once. */
export function spread(maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.max(0, maxMs));
}
