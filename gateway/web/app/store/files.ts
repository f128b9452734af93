// Files: attachments being uploaded (straight to a storage node, with progress and cancel), what
// a message's file is (chat.file: a fresh signed URL and the file's type, cached), and "my files".
import { signal } from '@preact/signals';
import { api, sessionEvents } from './session.ts';
import { send } from './chat.ts';
import { notify, errorText } from './notices.ts';
import { putFile, UploadError, type RunningUpload } from '../net/mod.ts';
import type { FileInfo } from '../state/mod.ts';

export interface Upload {
  key: number;
  room: string;
  name: string;
  size: number;
  type: string;
  loaded: number;
  state: 'starting' | 'uploading' | 'failed';
  error?: string;
  caption: string;
  file: File;
}

export const uploads = signal<Upload[]>([]);
const running = new Map<number, RunningUpload>();
let nextKey = 1;

function patch(key: number, change: Partial<Upload>): void {
  uploads.value = uploads.value.map((u) => (u.key === key ? { ...u, ...change } : u));
}

function drop(key: number): void {
  running.delete(key);
  uploads.value = uploads.value.filter((u) => u.key !== key);
}

/** Uploads a file for a room and sends it as a message once stored. */
export function attach(room: string, file: File, caption = ''): void {
  const key = nextKey++;
  uploads.value = [...uploads.value, { key, room, name: file.name || 'file', size: file.size, type: file.type, loaded: 0, state: 'starting', caption, file }];
  void run(key);
}

async function run(key: number): Promise<void> {
  const u = uploads.value.find((x) => x.key === key);
  if (!u) return;
  try {
    const grant = await api().request('files.upload', { size: u.size });
    let result;
    let last: unknown;
    // the grant names every active node of the group: the next one if a node cannot be reached
    for (const url of grant.urls) {
      if (!uploads.value.some((x) => x.key === key)) return; // cancelled meanwhile
      patch(key, { state: 'uploading', loaded: 0 });
      const up = putFile(url, u.file, (p) => patch(key, { loaded: p.loaded }));
      running.set(key, up);
      try {
        result = await up.done;
        break;
      } catch (e) {
        last = e;
        if (!(e instanceof UploadError) || e.status !== 0 || e.code === 'cancelled') throw e;
      }
    }
    if (!result) throw last ?? new Error('no storage node took the file');
    drop(key);
    send(u.room, u.caption, { id: result.fileId, name: result.name || u.name, size: result.size, type: result.contentType });
  } catch (e) {
    if (e instanceof UploadError && e.code === 'cancelled') return;
    running.delete(key);
    patch(key, { state: 'failed', error: e instanceof UploadError ? e.message : errorText(e) });
  }
}

export function cancelUpload(key: number): void {
  running.get(key)?.cancel();
  drop(key);
}

export function retryUpload(key: number): void {
  patch(key, { state: 'starting', error: undefined, loaded: 0 });
  void run(key);
}

// ---- files in messages ----

export interface FileLink {
  url: string;
  file: FileInfo;
  expiresAt: number;
}

export type FileState = { status: 'loading' } | { status: 'ready'; link: FileLink } | { status: 'gone'; message: string };

export const fileLinks = signal<ReadonlyMap<string, FileState>>(new Map());

function setLink(key: string, state: FileState): void {
  const next = new Map(fileLinks.value);
  next.set(key, state);
  fileLinks.value = next;
}

/** What is known of a message's file (render reads it; requestFile asks). */
export function fileState(room: string, seq: number): FileState {
  return fileLinks.value.get(`${room}:${seq}`) ?? { status: 'loading' };
}

/** Asks for a message's file once, and again when its URL is about to expire (call from an effect). */
export function requestFile(room: string, seq: number): void {
  const key = `${room}:${seq}`;
  const have = fileLinks.value.get(key);
  if (have && (have.status !== 'ready' || have.link.expiresAt - Date.now() > 60_000)) return;
  if (!have) setLink(key, { status: 'loading' });
  api().request('chat.file', { room, seq }).then(
    (r) => setLink(key, { status: 'ready', link: { url: r.url, file: r.file, expiresAt: Date.parse(r.expiresAt) } }),
    (e) => setLink(key, { status: 'gone', message: errorText(e) }),
  );
}

// ---- my files ----

export const myFiles = signal<FileInfo[]>([]);
export const myFilesCursor = signal<string | undefined>(undefined);
export const myFilesLoading = signal(false);

export async function loadMyFiles(more = false): Promise<void> {
  if (myFilesLoading.value) return;
  myFilesLoading.value = true;
  try {
    const r = await api().request('files.list', { limit: 50, ...(more && myFilesCursor.value ? { cursor: myFilesCursor.value } : {}) });
    myFiles.value = more ? [...myFiles.value, ...r.files] : r.files;
    myFilesCursor.value = r.cursor;
  } catch (e) {
    notify(`Could not list your files: ${errorText(e)}`, 'error');
  } finally {
    myFilesLoading.value = false;
  }
}

/** A download link for one of your files (signed, short-lived). */
export async function downloadUrl(id: string): Promise<string | null> {
  try {
    return (await api().request('files.download', { id })).urls[0];
  } catch (e) {
    notify(`Could not get the file: ${errorText(e)}`, 'error');
    return null;
  }
}

export async function deleteFile(id: string): Promise<boolean> {
  try {
    await api().request('files.delete', { id });
    myFiles.value = myFiles.value.filter((f) => f.id !== id);
    return true;
  } catch (e) {
    notify(`Could not delete the file: ${errorText(e)}`, 'error');
    return false;
  }
}

sessionEvents.on('ended', () => {
  for (const r of running.values()) r.cancel();
  running.clear();
  uploads.value = [];
  myFiles.value = [];
  fileLinks.value = new Map();
});
