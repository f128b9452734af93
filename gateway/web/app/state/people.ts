// Friends, requests and blocks (friends.list, then friends.update pushes) and who is online
// (presence pushes for friends, presence.query for room members).
import type { FriendEntry, FriendStatus, UserRef } from './types.ts';

export type Person = FriendEntry;

const ORDER: Record<FriendStatus, number> = { incoming: 0, friend: 1, outgoing: 2, blocked: 3, none: 4 };

/** Requests to answer first, then friends (online first), sent requests, blocked; by name within. */
export function sortPeople(list: readonly Person[]): Person[] {
  return [...list].sort((a, b) => ORDER[a.status] - ORDER[b.status] || Number(b.online) - Number(a.online) || a.user.name.localeCompare(b.user.name));
}

/** friends.update: a relationship changed; `none` removes the person. */
export function applyFriendUpdate(list: readonly Person[], user: UserRef, status: FriendStatus): Person[] {
  const old = list.find((p) => p.user.id === user.id);
  const rest = list.filter((p) => p.user.id !== user.id);
  if (status === 'none') return sortPeople(rest);
  return sortPeople([...rest, { user, status, online: old?.online ?? false, devices: old?.devices ?? [] }]);
}

/** presence: a friend came online, changed devices or went offline. */
export function applyPresence(list: readonly Person[], user: number, online: boolean, devices: readonly string[]): Person[] {
  if (!list.some((p) => p.user.id === user)) return list as Person[];
  return sortPeople(list.map((p) => (p.user.id === user ? { ...p, online, devices: [...devices] } : p)));
}

export function pendingRequests(list: readonly Person[]): number {
  return list.filter((p) => p.status === 'incoming').length;
}

export function statusOf(list: readonly Person[], user: number): FriendStatus {
  return list.find((p) => p.user.id === user)?.status ?? 'none';
}
