// Words and numbers for the screen: times, day separators, sizes, system events, previews.
import type { ChatEntry } from './types.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** A local calendar day, as a sortable key. */
export function dayKey(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Today", "Yesterday", a weekday within the week, else "3 Mar 2025". */
export function dayLabel(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const that = new Date(d);
  that.setHours(0, 0, 0, 0);
  const days = Math.round((today.getTime() - that.getTime()) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return WEEKDAYS[d.getDay()];
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

export function clockTime(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** For the conversation list: the time today, else the day. */
export function shortWhen(at: number | null, now: number): string {
  if (at === null) return '';
  if (dayKey(at) === dayKey(now)) return clockTime(at);
  const label = dayLabel(at, now);
  if (label === 'Yesterday') return label;
  const d = new Date(at);
  return new Date(now).getFullYear() === d.getFullYear() ? `${d.getDate()} ${MONTHS[d.getMonth()]}` : `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export type NameOf = (id: number) => string;

/** A system entry in words ("bob joined", "alice renamed the room to Project"). */
export function describeSystem(e: Pick<ChatEntry, 'data' | 'from'>, name: NameOf): string {
  const d = (e.data ?? {}) as { event?: string; user?: number; by?: number; name?: string; role?: string; open?: boolean; description?: string };
  const who = (id: number | undefined) => (id === undefined ? 'someone' : name(id));
  switch (d.event) {
    case 'created': return `${who(d.by)} created the room${d.name ? ` “${d.name}”` : ''}`;
    case 'joined': return `${who(d.user)} joined`;
    case 'invited': return d.by ? `${who(d.by)} added ${who(d.user)}` : `${who(d.user)} was added`;
    case 'left': return `${who(d.user)} left`;
    case 'kicked': return `${who(d.by)} removed ${who(d.user)}`;
    case 'role': return `${who(d.by)} made ${who(d.user)} ${d.role === 'admin' ? 'an admin' : 'a member'}`;
    case 'updated': {
      const parts: string[] = [];
      if (d.name !== undefined) parts.push(`renamed the room to “${d.name}”`);
      if (d.description !== undefined) parts.push('changed the description');
      if (d.open !== undefined) parts.push(d.open ? 'opened the room to everyone' : 'made the room invitation-only');
      return `${who(d.by)} ${parts.join(' and ') || 'changed the room'}`;
    }
    default: return d.event ? `${d.event}` : 'room event';
  }
}

/** The last-message line of the conversation list. */
export function previewOf(e: Pick<ChatEntry, 'kind' | 'body' | 'data' | 'from' | 'file'>, name: NameOf): string {
  if (e.kind === 'text') return e.file && !e.body ? 'Attachment' : e.body.slice(0, 120);
  if (e.kind === 'system') return describeSystem(e, name);
  if (e.kind === 'edit') return `(edited) ${e.body.slice(0, 100)}`;
  return 'Message deleted';
}

/** The server's stored preview ("[joined]", "[edited] …", "[recalled]") in the client's words. */
export function previewText(stored: string): string {
  if (stored === '[recalled]') return 'Message deleted';
  if (stored.startsWith('[edited] ')) return `(edited) ${stored.slice(9)}`;
  const m = /^\[([a-z]+)\]$/.exec(stored);
  if (m) return ({ created: 'Room created', joined: 'Someone joined', invited: 'Someone was added', left: 'Someone left', kicked: 'Someone was removed', role: 'Roles changed', updated: 'Room updated' } as Record<string, string>)[m[1]] ?? stored;
  return stored;
}

/** A media length or position: m:ss, or h:mm:ss from an hour on. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A measured drift for people: "+12 ms", "−340 ms", "in sync" within a frame's worth. */
export function formatDrift(ms: number): string {
  const r = Math.round(ms);
  if (Math.abs(r) < 1) return '0 ms';
  return `${r > 0 ? '+' : '−'}${Math.abs(r)} ms`;
}
