// What to do with a send that failed, by its error code: try again with the same clientMsgId
// (the server answers a repeat with the first seq, so nothing doubles), or give up and show why.
// A retry by hand keeps the id too: a refusal is judged afresh (protocol/README.md#retries), so a
// message refused while blocked goes through after the unblock, and one that timed out is never
// made twice.
import type { ErrorCode } from '../../../../protocol/errors.ts';
import type { PendingSend } from './timeline.ts';

const RETRY: ReadonlySet<string> = new Set<ErrorCode>(['timeout', 'unavailable', 'rate_limited', 'too_many_in_flight', 'internal']);

export function retryable(code: string | undefined): boolean {
  return code === undefined || RETRY.has(code);
}

/** Wait before the n-th retry (1, 2, 4 … 15 s). */
export function retryDelayMs(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/** A client message id: unique per sender, allowed by the protocol's pattern. */
export function newClientMsgId(random: () => number = Math.random, now: number = Date.now()): string {
  return `w${now.toString(36)}-${Math.floor(random() * 36 ** 8).toString(36)}`;
}
