// Short messages at the edge of the screen: what failed and why, requests that arrived.
import { signal } from '@preact/signals';
import { TroupeError } from '../../../../protocol/errors.ts';

export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

export const notices = signal<Notice[]>([]);
let nextId = 1;

export function notify(text: string, kind: Notice['kind'] = 'info', ms = kind === 'error' ? 7000 : 4000): void {
  const n = { id: nextId++, text, kind };
  notices.value = [...notices.value.slice(-3), n];
  setTimeout(() => dismiss(n.id), ms);
}

export function dismiss(id: number): void {
  notices.value = notices.value.filter((n) => n.id !== id);
}

/** An error in words for a person: the server's message names the field or rule. */
export function errorText(e: unknown): string {
  if (e instanceof TroupeError) {
    switch (e.code) {
      case 'unavailable': return 'Offline: it will work again once reconnected.';
      case 'timeout': return 'The server did not answer in time. Try again.';
      case 'rate_limited': return 'Slow down a little and try again.';
      default: return e.message;
    }
  }
  return e instanceof Error ? e.message : String(e);
}
