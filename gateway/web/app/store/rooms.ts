// Group rooms: create (open or invitation-only, with people), discover and join open rooms,
// invite, leave, rename, kick, set roles. Pushes (rooms.joined / rooms.left and the room's system
// entries) bring every member's view up to date; the caller's view changes at once.
import { api, me } from './session.ts';
import { conversations, openConversation, loadMembers } from './chat.ts';
import { notify, errorText } from './notices.ts';
import { applyJoined, applyLeft, type RoomSummary } from '../state/mod.ts';

async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (e) {
    notify(`${what}: ${errorText(e)}`, 'error');
    return null;
  }
}

export async function createRoom(name: string, open: boolean, memberIds: number[]): Promise<RoomSummary | null> {
  const r = await attempt('Could not create the room', () => api().request('rooms.create', { name: name.trim(), open, members: memberIds }));
  if (!r) return null;
  conversations.value = applyJoined(conversations.value, r.room, Date.now());
  openConversation(r.room.id);
  return r.room;
}

export async function discoverRooms(query: string): Promise<RoomSummary[]> {
  const r = await attempt('Could not list rooms', () => api().request('rooms.discover', { query: query.trim().slice(0, 80), limit: 50 }));
  return r?.rooms ?? [];
}

export async function joinRoom(room: string): Promise<boolean> {
  const r = await attempt('Could not join', () => api().request('rooms.join', { room }));
  if (!r) return false;
  conversations.value = applyJoined(conversations.value, r.room, Date.now());
  openConversation(room);
  return true;
}

export async function inviteToRoom(room: string, user: number): Promise<boolean> {
  const r = await attempt('Could not add them', () => api().request('rooms.invite', { room, user }));
  if (r) void loadMembers(room);
  return r !== null;
}

export async function leaveRoom(room: string): Promise<boolean> {
  const r = await attempt('Could not leave', () => api().request('rooms.leave', { room }));
  if (!r) return false;
  conversations.value = applyLeft(conversations.value, room);
  openConversation(null);
  return true;
}

export async function updateRoom(room: string, change: { name?: string; open?: boolean; description?: string }): Promise<boolean> {
  const r = await attempt('Could not change the room', () => api().request('rooms.update', { room, ...change }));
  return r !== null;
}

export async function kickMember(room: string, user: number): Promise<boolean> {
  const r = await attempt('Could not remove them', () => api().request('rooms.kick', { room, user }));
  if (r) void loadMembers(room);
  return r !== null;
}

export async function setRole(room: string, user: number, role: 'admin' | 'member'): Promise<boolean> {
  const r = await attempt('Could not change the role', () => api().request('rooms.role', { room, user, role }));
  if (r) void loadMembers(room);
  return r !== null;
}

/** What the signed-in user may do to a member, by their roles (the room actor checks again). */
export function canManage(myRole: string | undefined, theirRole: string, theirId: number): { kick: boolean; roles: boolean } {
  if (theirId === me.value?.id) return { kick: false, roles: false };
  return {
    kick: myRole === 'owner' ? theirRole !== 'owner' : myRole === 'admin' && theirRole === 'member',
    roles: myRole === 'owner' && theirRole !== 'owner',
  };
}
