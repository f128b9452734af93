// How the client prints things. Scripted output is one record per line, fields separated by a
// TAB, free text last and escaped (\\ \t \n \r) so a record never spans lines: easy to cut, awk and
// grep. The interactive view is for people: local times, names, the seq to /edit or /recall.
import type { ChatEntry } from '../../protocol/client/mod.ts';
import { ConfigError } from '../../lib/mod.ts';

/** A name for a user id (the caller has loaded what it needs). */
export type Label = (id: number) => string;

/** Keeps a free-text field on one line and free of field separators. */
export function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function row(...fields: (string | number)[]): string {
  return fields.map((f) => (typeof f === 'number' ? String(f) : esc(f))).join('\t');
}

/** ISO 8601 in UTC to the second: sorts as text, parses everywhere. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Local HH:MM today, MM-DD HH:MM before. */
export function shortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return new Date(now).toDateString() === d.toDateString() ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** What a system entry says, in words. */
export function describeSystem(e: ChatEntry, label: Label): string {
  const d = (e.data ?? {}) as { event?: string; user?: number; by?: number; name?: string; description?: string; open?: boolean; role?: string; owner?: number | null };
  const who = (id: number | undefined) => (id ? label(id) : 'the system');
  switch (d.event) {
    case 'created': return `${who(d.by)} created the room "${d.name ?? ''}"`;
    case 'joined': return `${who(d.user)} joined`;
    case 'invited': return d.by ? `${who(d.by)} added ${who(d.user)}` : `${who(d.user)} was added`;
    case 'left': return `${who(d.user)} left${d.owner ? `; ${who(d.owner)} is now the owner` : ''}`;
    case 'kicked': return `${who(d.by)} removed ${who(d.user)}${d.owner ? `; ${who(d.owner)} is now the owner` : ''}`;
    case 'role': return `${who(d.by)} made ${who(d.user)} ${d.role === 'admin' ? 'an admin' : 'a member'}`;
    case 'updated': {
      const parts: string[] = [];
      if (d.name !== undefined) parts.push(`renamed the room to "${d.name}"`);
      if (d.description !== undefined) parts.push('changed the description');
      if (d.open !== undefined) parts.push(d.open ? 'opened the room to anyone' : 'made the room invitation-only');
      return `${who(d.by)} ${parts.join(', ') || 'changed the room'}`;
    }
    default:
      // system messages (say, from the admin API) carry their text in the body
      return e.body || `[${d.event ?? 'event'}]`;
  }
}

/**
 * The scripted form of an entry: room, seq, time, sender, kind, text.
 * kind: text | edited | recalled (a message as it stands now) | edit | recall (the change itself;
 * text is "#<seq> <new text>" or "#<seq>") | system (text describes the event).
 */
export function entryRow(e: ChatEntry, label: Label): string {
  const from = e.from ? label(e.from) : '-';
  let kind: string = e.kind;
  let text = e.body;
  if (e.kind === 'text') {
    if (e.recalled) kind = 'recalled';
    else if (e.edited) kind = 'edited';
    if (e.file) text = `${text} [file ${e.file}]`.trim();
  } else if (e.kind === 'edit') text = `#${e.ref} ${e.body}`;
  else if (e.kind === 'recall') text = `#${e.ref}`;
  else text = describeSystem(e, label);
  return row(e.room, e.seq, isoTime(e.at), from, kind, text);
}

/** The interactive form: `[#5 12:03] alice: hello`. */
export function entryLine(e: ChatEntry, label: Label, now = Date.now()): string {
  const head = `[#${e.seq} ${shortTime(e.at, now)}]`;
  const body = e.body.replace(/\r?\n/g, '\n    ');
  switch (e.kind) {
    case 'text': {
      if (e.recalled) return `${head} ${label(e.from)}: (recalled)`;
      const file = e.file ? ` [file ${e.file}]` : '';
      return `${head} ${label(e.from)}: ${body}${file}${e.edited ? ' (edited)' : ''}`;
    }
    case 'edit': return `${head} * ${label(e.from)} edited #${e.ref}: ${body}`;
    case 'recall': return `${head} * ${label(e.from)} recalled #${e.ref}`;
    default: return `${head} * ${describeSystem(e, label)}`;
  }
}

/** A short preview of an entry for one-line notices. */
export function preview(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** 83.5 -> "1:23.5"; an hour or more -> "1:02:03.0". */
export function clockText(ms: number): string {
  // in whole tenths, so 59.96 s is 0:59.9 and never 0:60.0
  const tenths = Math.floor(Math.max(0, ms) / 100);
  const h = Math.floor(tenths / 36_000);
  const m = Math.floor((tenths % 36_000) / 600);
  const s = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "83", "83.5", "1:23", "1:02:03.5" -> ms. */
export function parseClock(text: string): number {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) throw new ConfigError(`not a time: "${text}" (seconds, m:ss or h:mm:ss)`);
  return Math.round(parts.reduce((acc, p) => acc * 60 + Number(p), 0) * 1000);
}
