// The envelope every client frame carries: `{ op, rid?, ...fields }`; responses echo `rid` with
// `ok`; pushes carry `op` and no `rid`.
import { TroupeError, type WireError } from './errors.ts';

export interface RequestEnvelope {
  op: string;
  rid?: number;
  fields: Record<string, unknown>;
}

const OP = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** Parses one frame's text into an envelope; throws TroupeError with a precise code. */
export function parseEnvelope(text: string): RequestEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TroupeError('bad_json', `not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TroupeError('bad_json', 'the envelope must be a JSON object');
  const { op, rid, ...fields } = value as Record<string, unknown>;
  if (rid !== undefined && !(Number.isSafeInteger(rid) && (rid as number) >= 0)) {
    throw new TroupeError('bad_request', 'rid: must be a non-negative integer');
  }
  if (typeof op !== 'string' || op.length > 64 || !OP.test(op)) {
    const e = new TroupeError('bad_request', 'op: must be a string like "auth.login"');
    (e as TroupeError & { rid?: number }).rid = rid as number | undefined;
    throw e;
  }
  return { op, rid: rid as number | undefined, fields };
}

/** The rid of a frame that failed to parse, when it had one (so the error can echo it). */
export function ridOf(e: unknown): number | undefined {
  return (e as { rid?: number }).rid;
}

export function okResponse(rid: number | undefined, fields: object): Record<string, unknown> {
  return { ...fields, rid, ok: true };
}

export function errorResponse(rid: number | undefined, error: WireError, op?: string): Record<string, unknown> {
  return rid === undefined ? { op: op ?? 'error', ok: false, error } : { rid, ok: false, error };
}

export function pushEnvelope(op: string, body: object): Record<string, unknown> {
  return { op, ...body };
}
