// Watching a room together: the room's timeline, settings and viewers as signals (from the
// client library's WatchSession, which joins, follows pushes and rejoins after a reconnect), the
// drift every viewer reports, the movie library, and the control actions (play, pause, seek,
// pick a movie, settings). The <video> that follows the timeline is net/video-follower.ts.
import { signal } from '@preact/signals';
import { WatchSession } from '../../../../protocol/client/mod.ts';
import type { Timeline as Playback, Viewer, WatchSettings, LibraryItem, ControlPolicy } from '../../../../protocol/watch.ts';
import { api, sessionEvents } from './session.ts';
import { notify, errorText } from './notices.ts';
import { currentRoom, watchRoom, showConversation, openConversation } from './chat.ts';

export type { Playback, Viewer, WatchSettings, LibraryItem, ControlPolicy };

export interface WatchState {
  room: string;
  timeline: Playback | null;
  viewers: Viewer[];
  settings: WatchSettings | null;
  role: 'owner' | 'admin' | 'member';
  /** This connection's viewer id. */
  viewer: string;
  joined: boolean;
  /** Why joining failed. */
  error: string;
}

export interface ViewerReport {
  driftMs: number;
  status: Viewer['status'];
  position: number;
  /** Local time it arrived. */
  at: number;
}

export const watching = signal<WatchState | null>(null);
/** viewer id -> what that viewer last reported of its player. */
export const reports = signal<ReadonlyMap<string, ViewerReport>>(new Map());
export const library = signal<LibraryItem[]>([]);
export const libraryLoading = signal(false);

let session: WatchSession | null = null;

/** The session of the room being watched (the video follower needs it). */
export function watchSession(): WatchSession | null {
  return session;
}

/** Shows a room's watch view (#/w/<room>): the movie with the room's chat beside it. */
export function openWatch(room: string): void {
  currentRoom.value = room;
  watchRoom.value = room;
  const hash = `#/w/${room}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
  showConversation(room);
}

/** Back from the watch view to the room's chat. */
export function closeWatch(): void {
  openConversation(currentRoom.value);
}

/** Who may control under a policy (the watch actor decides again). */
export function mayControl(role: WatchState['role'], settings: WatchSettings | null): boolean {
  const policy = settings?.control ?? 'everyone';
  return policy === 'everyone' || role === 'owner' || (policy === 'admins' && role === 'admin');
}

function set(change: Partial<WatchState>): void {
  if (watching.value) watching.value = { ...watching.value, ...change };
}

/** Joins the room as a viewer (the watch view does when it shows). */
export async function startWatching(room: string): Promise<void> {
  if (session?.room === room) return;
  await stopWatching();
  const s = new WatchSession(api(), room, { refreshMs: 20_000 });
  session = s;
  watching.value = { room, timeline: null, viewers: [], settings: null, role: 'member', viewer: '', joined: false, error: '' };
  const mine = () => session === s;
  s.on('timeline', (t) => { if (mine()) set({ timeline: { ...t } }); });
  s.on('viewers', (v) => { if (mine()) set({ viewers: v }); });
  s.on('settings', (st) => { if (mine()) set({ settings: st }); });
  s.on('report', (r) => {
    if (!mine()) return;
    const next = new Map(reports.value);
    next.set(r.viewer, { driftMs: r.driftMs, status: r.status, position: r.position, at: Date.now() });
    reports.value = next;
  });
  s.on('left', (reason) => {
    if (!mine()) return;
    session = null;
    watching.value = null;
    notify(reason === 'removed' ? 'You were removed from the room.' : 'You left the room.', 'info');
    openConversation(null);
  });
  try {
    await s.join();
    if (mine()) set({ joined: true, viewer: s.viewer, role: s.role, settings: s.settings, viewers: s.viewers, timeline: s.timeline });
  } catch (e) {
    if (mine()) {
      session = null;
      set({ error: errorText(e) });
    }
  }
}

export async function stopWatching(): Promise<void> {
  const s = session;
  session = null;
  watching.value = null;
  reports.value = new Map();
  await s?.leave();
}

sessionEvents.on('ended', () => {
  session = null;
  watching.value = null;
  reports.value = new Map();
});

async function control(what: string, work: (s: WatchSession) => Promise<unknown>): Promise<boolean> {
  const s = session;
  if (!s) return false;
  try {
    await work(s);
    return true;
  } catch (e) {
    notify(`${what}: ${errorText(e)}`, 'error');
    return false;
  }
}

export const playMovie = () => control('Could not play', (s) => s.play());
export const pauseMovie = () => control('Could not pause', (s) => s.pause());
export const seekMovie = (ms: number) => control('Could not seek', (s) => s.seek(Math.max(0, Math.round(ms))));
export const pickLibraryMovie = (item: LibraryItem) => control('Could not load the movie', (s) => s.load({ library: item.file, durationMs: item.durationMs }));
export const pickRoomFile = (seq: number, durationMs?: number) => control('Could not load the file', (s) => s.load({ entry: seq, ...(durationMs ? { durationMs } : {}) }));
export const changeWatchSettings = (change: { control?: ControlPolicy; pauseForStalls?: boolean }) =>
  control('Could not change the settings', async (s) => set({ settings: await s.setSettings(change) }));

/** Searches the public library (by title). */
export async function searchLibrary(query: string): Promise<void> {
  libraryLoading.value = true;
  try {
    const r = await api().request('library.list', { query: query.trim().slice(0, 100), limit: 100 });
    library.value = r.items;
  } catch (e) {
    notify(`Could not search the library: ${errorText(e)}`, 'error');
  } finally {
    libraryLoading.value = false;
  }
}
