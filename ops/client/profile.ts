// Saved client profiles: the session token (so one-shot commands stay logged in) and the chat
// cursors (room -> last seq this profile has seen), so `sync`, `listen` and `chat` show each entry
// once across runs. One JSON file per profile; writes go through a temporary file and a rename so
// a crash never leaves half a file, and cursors are merged (highest seq wins) because two commands
// of one profile may run at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../lib/mod.ts';
import type { Gateway } from '../../protocol/client/mod.ts';

export interface SavedSession {
  url: string;
  token: string;
  user: { id: number; name: string };
  expiresAt: string;
}

export interface ProfileFile extends SavedSession {
  /** room -> last seq shown by this profile. */
  cursors?: Record<string, number>;
  /** The live gateways last heard of: tried when the URL it logged in with does not answer. */
  gateways?: Gateway[];
}

function dir(clientHome: string): string {
  return clientHome || path.join(os.homedir(), '.troupe');
}

export function profilePath(clientHome: string, profile: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(profile)) throw new ConfigError(`bad profile name "${profile}": use 1-64 letters, digits, _ . -`);
  return path.join(dir(clientHome), `${profile}.session.json`);
}

export class Profile {
  readonly file: string;

  constructor(readonly clientHome: string, readonly name: string) {
    this.file = profilePath(clientHome, name);
  }

  load(): ProfileFile | null {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as ProfileFile;
    } catch {
      return null;
    }
  }

  /** Saves a session; cursors are kept only when it is the same user as before. */
  saveSession(s: SavedSession): void {
    const old = this.load();
    this.write({ ...s, ...(old?.user.id === s.user.id && old.cursors ? { cursors: old.cursors } : {}) });
  }

  forget(): void {
    fs.rmSync(this.file, { force: true });
  }

  cursors(): Record<string, number> {
    return { ...(this.load()?.cursors ?? {}) };
  }

  /** Moves cursors forward (never back), merging with what another run may have saved meanwhile. */
  saveCursors(cursors: Iterable<[string, number]>): void {
    const current = this.load();
    if (!current) return;
    const merged = { ...(current.cursors ?? {}) };
    let changed = false;
    for (const [room, seq] of cursors) {
      if ((merged[room] ?? -1) < seq) {
        merged[room] = seq;
        changed = true;
      }
    }
    if (changed) this.write({ ...current, cursors: merged });
  }

  /** Remembers the live gateways a connection last heard of (for failover on the next run). */
  saveGateways(gateways: readonly Gateway[]): void {
    const current = this.load();
    if (!current || !gateways.length || JSON.stringify(current.gateways ?? []) === JSON.stringify(gateways)) return;
    this.write({ ...current, gateways: [...gateways] });
  }

  /** After this profile itself added `seq` to a room: seen, if nothing unseen lies before it. */
  advanceIfNext(room: string, seq: number): void {
    if (this.load()?.cursors?.[room] === seq - 1) this.saveCursors([[room, seq]]);
  }

  private write(p: ProfileFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(p, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
