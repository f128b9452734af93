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

/** An error with a wire code, thrown by handlers and turned into `{ ok: false, error }`. */
export class TroupeError extends Error {
  constructor(public readonly code: ErrorCode, message: string = errorCodes[code]) {
    super(message);
    this.name = 'TroupeError';
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorCodes, code);
}

/** Wire form of any thrown value: TroupeErrors keep their code, the rest become `internal`. */
export function toWireError(e: unknown): { code: ErrorCode; message: string } {
  if (e instanceof TroupeError) return e.toJSON();
  return { code: 'internal', message: errorCodes.internal };
}
