// How messages travel: the JSON payloads of mailbox messages and of replies.
import { fromWireError, type ErrorCode, type ErrorReason, type WireError } from '../../protocol/mod.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The runtime's own message: "a deadline of this actor may be due". */
export const TIMERS = '$timers';

export type Reply = { ok: true; [k: string]: unknown } | { ok: false; error: WireError };

export function encodeJson(v: unknown): Uint8Array {
  return enc.encode(JSON.stringify(v));
}

export function decodeJson<T = unknown>(data: Uint8Array): T {
  return JSON.parse(dec.decode(data)) as T;
}

export function okReply(body: Record<string, unknown> = {}): Reply {
  return { ...body, ok: true };
}

export function errorReply(code: ErrorCode, message: string, reason?: ErrorReason): Reply {
  return { ok: false, error: reason ? { code, message, reason } : { code, message } };
}

/**
 * Whether a reply is a key's final result. A success is remembered. A refusal changed nothing, so
 * it is answered but a retry with the same key is judged afresh (the member was invited meanwhile,
 * the user unblocked); only a malformed request, which stays malformed, is final as a refusal.
 * (The worker also keeps any error reply whose message did change something as final.)
 */
export function isFinalReply(reply: Reply | undefined): boolean {
  return !reply || reply.ok || FINAL_ERRORS.has(reply.error.code);
}

const FINAL_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['bad_request', 'bad_json']);

/** A reply's body, or the TroupeError it carries. */
export function unwrapReply<T>(reply: Reply): T {
  if (reply.ok) {
    const { ok: _ok, ...rest } = reply;
    return rest as T;
  }
  throw fromWireError(reply.error, 'actor failed');
}
