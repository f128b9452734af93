// One client connection, whatever its transport: the envelope is parsed and validated here, limits
// are enforced here, and a valid request is handed to the op's handler (gateway/handlers).
import { parseEnvelope, ridOf, okResponse, errorResponse, pushEnvelope, validate, ops, isOpName, TroupeError, toWireError, type ErrorCode, type Static, Device, UserRef } from '../protocol/mod.ts';
import { logger } from '../lib/mod.ts';
import { TokenBucket } from './limits.ts';
import { gatewayMetrics as m } from './metrics.ts';
import type { Encoded } from './outbound.ts';

export interface Transport {
  readonly kind: 'tcp' | 'ws';
  readonly remote: string;
  /** Sends one envelope's JSON text (TCP adds the length prefix). */
  sendText(text: string): void;
  /** Sends an envelope serialized once for many connections (its bytes are not copied). */
  sendEncoded(e: Encoded): void;
  /** Output queued but not yet written to the socket. */
  bufferedBytes(): number;
  /** Closes after what was sent so far is flushed. */
  close(): void;
}

export interface Session {
  user: Static<typeof UserRef>;
  sessionId: number;
  device: Static<typeof Device>;
  token: string;
  expiresAt: string;
}

export interface ConnectionLimits {
  rateBurst: number;
  ratePerSecond: number;
  maxInFlight: number;
  loginTimeoutMs: number;
  idleTimeoutMs: number;
  maxBufferedBytes: number;
}

/** What a connection needs from its gateway. */
export interface ConnectionHost {
  limits: ConnectionLimits;
  dispatch(conn: Connection, op: string, fields: unknown): Promise<object>;
  closed(conn: Connection): void;
}

const log = logger('connection');
/** A flood of rejected frames beyond this many in a row closes the connection. */
const MAX_REJECTED_IN_A_ROW = 200;

let nextId = 1;

export class Connection {
  readonly id = nextId++;
  session?: Session;
  /** A login is under way (a second one is refused). */
  loggingIn = false;
  /** Logins on this connection so far (idempotency keys of presence reports differ per login). */
  logins = 0;
  /** `<gateway instance>/<id>`: this connection's name in presence. */
  key = '';
  readonly connectedAt = Date.now();
  lastFrameAt = Date.now();
  /** When the login deadline runs out (reset on logout). */
  loginDeadline: number;
  private inFlight = 0;
  private rejectedInARow = 0;
  private readonly bucket: TokenBucket;
  private closing = false;

  constructor(readonly transport: Transport, private readonly host: ConnectionHost) {
    this.bucket = new TokenBucket(host.limits.rateBurst, host.limits.ratePerSecond);
    this.loginDeadline = this.connectedAt + host.limits.loginTimeoutMs;
  }

  get isOpen(): boolean {
    return !this.closing;
  }

  /** One complete frame's text arrived. */
  onText(text: string): void {
    if (this.closing) return;
    this.lastFrameAt = Date.now();
    m.framesIn.labels(this.transport.kind).inc();
    let envelope;
    try {
      envelope = parseEnvelope(text);
    } catch (e) {
      this.reject(ridOf(e), e);
      return;
    }
    const { op, rid, fields } = envelope;
    if (!this.bucket.take(this.lastFrameAt)) {
      this.reject(rid, new TroupeError('rate_limited', `more than ${this.host.limits.ratePerSecond} requests per second (burst ${this.host.limits.rateBurst})`));
      return;
    }
    if (!isOpName(op)) {
      this.reject(rid, new TroupeError('unknown_op', `unknown op "${op}"`));
      return;
    }
    const spec = ops[op];
    if (spec.auth && !this.session) {
      this.reject(rid, new TroupeError('unauthenticated', `${op} needs a logged-in connection`));
      return;
    }
    if (this.inFlight >= this.host.limits.maxInFlight) {
      this.reject(rid, new TroupeError('too_many_in_flight', `at most ${this.host.limits.maxInFlight} requests may be unanswered at once`));
      return;
    }
    let request;
    try {
      request = validate(spec.request, fields);
    } catch (e) {
      this.reject(rid, e);
      return;
    }
    this.rejectedInARow = 0;
    this.inFlight++;
    const started = performance.now();
    this.host.dispatch(this, op, request).then(
      (response) => {
        m.requests.labels(op).observe((performance.now() - started) / 1000);
        if (rid !== undefined) this.send(okResponse(rid, response));
      },
      (e) => {
        const err = toWireError(e);
        if (err.code === 'internal') log.error({ err: e, op, conn: this.id }, 'handler failed');
        m.errors.labels(err.code).inc();
        this.send(errorResponse(rid, err, op));
      },
    ).finally(() => {
      this.inFlight--;
    });
  }

  /** The transport could not read a frame. */
  onFrameError(code: ErrorCode, message: string, fatal: boolean): void {
    if (this.closing) return;
    this.lastFrameAt = Date.now();
    m.framesIn.labels(this.transport.kind).inc();
    if (fatal) this.fail(code, message);
    else this.reject(undefined, new TroupeError(code, message));
  }

  private reject(rid: number | undefined, e: unknown): void {
    const err = toWireError(e);
    m.errors.labels(err.code).inc();
    this.send(errorResponse(rid, err));
    if (++this.rejectedInARow > MAX_REJECTED_IN_A_ROW) this.fail('rate_limited', `${MAX_REJECTED_IN_A_ROW} rejected frames in a row`);
  }

  send(envelope: object): void {
    if (this.closing || this.slow()) return;
    this.transport.sendText(JSON.stringify(envelope));
    m.framesOut.labels(this.transport.kind).inc();
  }

  push(op: string, body: object): void {
    m.pushes.labels(op).inc();
    this.send(pushEnvelope(op, body));
  }

  /**
   * A push serialized once for many connections (the caller counts it: SessionHub); false when
   * the connection is closing or was cut off as a slow consumer.
   */
  pushEncoded(e: Encoded): boolean {
    if (this.closing || this.slow()) return false;
    this.transport.sendEncoded(e);
    return true;
  }

  private slow(): boolean {
    if (this.transport.bufferedBytes() <= this.host.limits.maxBufferedBytes) return false;
    m.errors.labels('slow_consumer').inc();
    log.warn({ conn: this.id, remote: this.transport.remote, buffered: this.transport.bufferedBytes() }, 'slow consumer disconnected');
    this.shutdown();
    return true;
  }

  /** Sends a final error frame (no rid) and closes. */
  fail(code: ErrorCode, message: string): void {
    if (this.closing) return;
    m.errors.labels(code).inc();
    this.send(errorResponse(undefined, { code, message }, 'error'));
    this.shutdown();
  }

  /** Closes the transport after what was sent is flushed; idempotent. */
  shutdown(): void {
    if (this.closing) return;
    this.closing = true;
    this.transport.close();
    this.host.closed(this);
  }

  /** The transport closed (either side). */
  onClosed(): void {
    if (this.closing) return;
    this.closing = true;
    this.host.closed(this);
  }

  /** Checked by the gateway's sweep: login deadline and idle timeout. */
  checkDeadlines(now: number): void {
    if (this.closing) return;
    if (!this.session && now >= this.loginDeadline) this.fail('login_timeout', `not logged in within ${this.host.limits.loginTimeoutMs} ms`);
    else if (now - this.lastFrameAt >= this.host.limits.idleTimeoutMs) this.fail('idle_timeout', `nothing received for ${this.host.limits.idleTimeoutMs} ms`);
  }
}
