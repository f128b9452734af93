// File tickets: short-lived capabilities the gateway signs and storage nodes check, so a node
// never needs a session lookup. `t1.<payload>.<mac>`: payload is base64url JSON (protocol
// TicketPayload), mac is base64url HMAC-SHA256 over "t1." + payload with a key derived from the
// shared storage secret. Also the signature of peer requests between storage nodes. Both keys are
// derived from the one secret with distinct labels, so a ticket can never pass as a peer
// signature or the other way round.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { TroupeError, TicketPayload, isValid, type TicketOp } from '../protocol/mod.ts';

export type { TicketPayload, TicketOp };

const PREFIX = 't1';
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Longer tokens are refused before any work (a payload is well under 300 bytes). */
const MAX_TOKEN = 1024;
/** Verified tokens remembered per Tickets (the oldest is forgotten first). */
const VERIFIED_TICKETS = 1024;
/** Peer signatures are good for this long (and this far in the future, for clock skew). */
export const PEER_SIGNATURE_MAX_AGE_MS = 60_000;

function deriveKey(secret: string, label: string): Buffer {
  if (!secret) throw new Error('the storage secret is empty');
  return createHmac('sha256', secret).update(label).digest();
}

function mac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface TicketExpectation {
  op: TicketOp;
  /** read / delete: the file of the request. */
  file?: string;
  /** upload: the node's group. */
  group?: string;
}

/** Signs and checks tickets with one secret (gateways sign, storage nodes verify). */
export class Tickets {
  private readonly key: Buffer;
  /**
   * Tokens whose signature verified, with their payloads (oldest first): one upload ticket serves
   * many uploads, and the HMAC, JSON and schema check cost more than the rest of a 4 KiB upload's
   * request handling. Expiry, op and target are checked on every use.
   */
  private readonly verified = new Map<string, TicketPayload>();

  constructor(secret: string, private readonly now: () => number = Date.now) {
    this.key = deriveKey(secret, 'troupe file tickets');
  }

  sign(payload: TicketPayload): string {
    if (!isValid(TicketPayload, payload)) throw new Error('invalid ticket payload');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${PREFIX}.${body}.${mac(this.key, `${PREFIX}.${body}`).toString('base64url')}`;
  }

  /**
   * A read or delete ticket for one file, valid for `ttlSeconds`. A read ticket with a `grant`
   * lets `user` read another user's file: the issuer has checked the grant (svc.files.link).
   */
  fileTicket(op: 'read' | 'delete', file: string, user: number, ttlSeconds: number, grant?: string): string {
    return this.sign({ op, file, user, exp: this.expiry(ttlSeconds), ...(grant !== undefined && op === 'read' ? { grant } : {}) });
  }

  /** The `exp` of a ticket issued now for `ttlSeconds` (seconds since the epoch). */
  expiry(ttlSeconds: number): number {
    return Math.floor(this.now() / 1000) + ttlSeconds;
  }

  /** An upload ticket for one group; `upload` is the pending-upload token (random by default). */
  uploadTicket(group: string, user: number, ttlSeconds: number, upload = randomBytes(12).toString('base64url')): string {
    return this.sign({ op: 'upload', group, upload, user, exp: this.expiry(ttlSeconds) });
  }

  /**
   * Checks a ticket against a request. Throws `bad_ticket` (missing, malformed, forged),
   * `ticket_expired`, or `forbidden` (a genuine ticket for another op, file or group).
   */
  verify(token: string | undefined | null, expect: TicketExpectation): TicketPayload {
    if (!token) throw new TroupeError('bad_ticket', 'a ticket is required (?ticket= or Authorization: Bearer)');
    const payload = this.verified.get(token) ?? this.check(token);
    if (payload.exp * 1000 <= this.now()) {
      this.verified.delete(token);
      throw new TroupeError('ticket_expired', `the ticket expired at ${new Date(payload.exp * 1000).toISOString()}`);
    }
    if (payload.op !== expect.op) throw new TroupeError('forbidden', `the ticket is for ${payload.op}, not ${expect.op}`);
    if (payload.op === 'upload') {
      if (expect.group !== undefined && payload.group !== expect.group) throw new TroupeError('forbidden', `the ticket is for group ${payload.group}, this node is in ${expect.group}`);
    } else if (expect.file !== undefined && payload.file !== expect.file) {
      throw new TroupeError('forbidden', 'the ticket is for another file');
    }
    return payload;
  }

  /** The payload of a genuine token (signature, JSON, schema), remembered; throws `bad_ticket`. */
  private check(token: string): TicketPayload {
    const parts = token.length <= MAX_TOKEN ? token.split('.') : [];
    if (parts.length !== 3 || parts[0] !== PREFIX || !B64URL.test(parts[1]) || !B64URL.test(parts[2])) {
      throw new TroupeError('bad_ticket', 'the ticket is malformed');
    }
    // compared as text: decoding would ignore the padding bits of the last character and let
    // several spellings of one ticket pass
    const expected = Buffer.from(mac(this.key, `${PREFIX}.${parts[1]}`).toString('base64url'));
    if (!sameBytes(Buffer.from(parts[2]), expected)) throw new TroupeError('bad_ticket', 'the ticket signature does not verify');
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      throw new TroupeError('bad_ticket', 'the ticket payload is not JSON');
    }
    if (!isValid(TicketPayload, payload)) throw new TroupeError('bad_ticket', 'the ticket payload is invalid');
    if (this.verified.size >= VERIFIED_TICKETS) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, payload);
    return payload;
  }
}

/** Signs and checks requests between storage nodes of a deployment. */
export class PeerAuth {
  private readonly key: Buffer;

  constructor(secret: string, private readonly now: () => number = Date.now) {
    this.key = deriveKey(secret, 'troupe storage peers');
  }

  /** The Authorization header value for `method path` sent by `nodeId`. */
  sign(method: string, path: string, nodeId: string): string {
    const ms = this.now();
    return `TroupePeer ${nodeId}:${ms}:${mac(this.key, `${method} ${path}\n${nodeId}\n${ms}`).toString('hex')}`;
  }

  /** The calling node's id; throws `bad_ticket` for a missing, forged or stale signature. */
  verify(header: string | undefined, method: string, path: string): string {
    const m = /^TroupePeer ([A-Za-z0-9_-]{1,64}):(\d{1,15}):([0-9a-f]{64})$/.exec(header ?? '');
    if (!m) throw new TroupeError('bad_ticket', 'a peer signature is required');
    const [, nodeId, msText, hex] = m;
    const ms = Number(msText);
    if (Math.abs(this.now() - ms) > PEER_SIGNATURE_MAX_AGE_MS) throw new TroupeError('bad_ticket', 'the peer signature is stale');
    if (!sameBytes(Buffer.from(hex, 'hex'), mac(this.key, `${method} ${path}\n${nodeId}\n${ms}`))) throw new TroupeError('bad_ticket', 'the peer signature does not verify');
    return nodeId;
  }
}
