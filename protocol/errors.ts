// Error codes carried in `error.code` of a failed response, in service replies and in actor
// replies. One list, documented in protocol/README.md.

export const errorCodes = {
  bad_frame: 'the frame could not be read (bad length, not UTF-8, binary WebSocket message)',
  frame_too_large: 'the frame is larger than the gateway accepts (max_frame_bytes)',
  bad_json: 'the frame is not a JSON object',
  bad_request: 'a field is missing, has the wrong type or is out of range; the message says which',
  unknown_op: 'no such op',
  rate_limited: 'too many requests on this connection; slow down and retry',
  too_many_in_flight: 'too many unanswered requests on this connection',
  too_many_connections: 'the gateway is full; try another from /api/gateways',
  unauthenticated: 'log in first (auth.login or auth.resume)',
  already_authenticated: 'this connection is already logged in',
  login_timeout: 'the connection did not log in in time and is closed',
  idle_timeout: 'nothing was received for too long; the connection is closed',
  slow_consumer: 'the client did not read its pushes and is disconnected',
  kicked: 'a newer login of the same device type took this session over',
  bad_credentials: 'wrong name or password',
  name_taken: 'that name is already registered',
  session_expired: 'the session token is unknown, revoked or expired',
  not_found: 'no such thing',
  forbidden: 'you may not do that',
  bad_ticket: 'the file ticket is missing, malformed or forged (storage HTTP API)',
  ticket_expired: 'the file ticket has expired; ask the gateway for a new one',
  bad_range: 'the Range starts beyond the end of the file (HTTP 416)',
  conflict: 'the request conflicts with the current state',
  limit_exceeded: 'a configured limit would be exceeded',
  timeout: 'the system did not answer in time; retrying with the same ids is safe',
  unavailable: 'a component needed for this is not reachable right now',
  internal: 'unexpected server error (logged)',
} as const;

export type ErrorCode = keyof typeof errorCodes;

/**
 * Finer reasons some refusals carry beside their code (`error.reason`), for a client that words
 * them or acts on them; the code alone still decides whether to retry. A client that does not know
 * a reason ignores it.
 */
export const errorReasons = {
  not_member: 'with `forbidden`: you are not a member of the room, or there is no such room (the two are not told apart); a direct conversation exists once one of its two people wrote in it',
} as const;

export type ErrorReason = keyof typeof errorReasons;

/** An error as it travels: in responses, service replies and actor replies. */
export interface WireError {
  code: ErrorCode;
  message: string;
  reason?: ErrorReason;
}

/** An error with a wire code, thrown by handlers and turned into `{ ok: false, error }`. */
export class TroupeError extends Error {
  constructor(public readonly code: ErrorCode, message: string = errorCodes[code], public readonly reason?: ErrorReason) {
    super(message);
    this.name = 'TroupeError';
  }
  toJSON(): WireError {
    return this.reason ? { code: this.code, message: this.message, reason: this.reason } : { code: this.code, message: this.message };
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCodes, code);
}

export function isErrorReason(reason: unknown): reason is ErrorReason {
  return typeof reason === 'string' && Object.hasOwn(errorReasons, reason);
}

/** Wire form of any thrown value: TroupeErrors keep their code, the rest become `internal`. */
export function toWireError(e: unknown): WireError {
  if (e instanceof TroupeError) return e.toJSON();
  return { code: 'internal', message: errorCodes.internal };
}

/**
 * A received error (from a gateway, a service, an actor, a storage node) as a TroupeError: an
 * unknown code becomes `internal`, an unknown reason is dropped.
 */
export function fromWireError(error: unknown, fallback: string): TroupeError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown; reason?: unknown };
  return new TroupeError(isErrorCode(e.code) ? e.code : 'internal', typeof e.message === 'string' ? e.message : fallback, isErrorReason(e.reason) ? e.reason : undefined);
}
