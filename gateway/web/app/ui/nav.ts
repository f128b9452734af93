// Which pane is shown: the conversation list, people, or your files; the open conversation is
// store/chat's currentRoom. The address's hash keeps it across a reload (#/r/<room>, #/w/<room> for a room's watch view, #/people, #/files).
import { signal } from '@preact/signals';
import { currentRoom, watchRoom, openConversation, openWatch, me } from '../store/mod.ts';

export type View = 'chats' | 'people' | 'files';
export const view = signal<View>('chats');

export function show(v: View): void {
  view.value = v;
  if (v === 'files') history.replaceState(null, '', '#/files');
  else if (v === 'people' && !currentRoom.value) history.replaceState(null, '', '#/people');
  else if (v === 'chats' && !currentRoom.value) history.replaceState(null, '', '#/');
}

/** Opens a conversation from anywhere (people, files): the chats pane shows it. */
export function goToRoom(room: string): void {
  view.value = 'chats';
  openConversation(room);
}

/** Reads the hash once at start. */
export function restoreFromHash(): void {
  const h = location.hash;
  const m = /^#\/([rw])\/([A-Za-z0-9-]{1,40})$/.exec(h);
  if (m) {
    currentRoom.value = m[2];
    if (m[1] === 'w') watchRoom.value = m[2];
  } else if (h === '#/files') view.value = 'files';
  else if (h === '#/people') view.value = 'people';
}

/** The address changed in place (a pasted link, back and forward): show what it names. */
export function followHash(): void {
  const m = /^#\/([rw])\/([A-Za-z0-9-]{1,40})$/.exec(location.hash);
  if (!me.value) {
    restoreFromHash();
    return;
  }
  if (m) {
    view.value = 'chats';
    if (m[1] === 'w') openWatch(m[2]);
    else if (currentRoom.value !== m[2] || watchRoom.value) openConversation(m[2]);
  } else if (location.hash === '#/files' || location.hash === '#/people') show(location.hash === '#/files' ? 'files' : 'people');
}
