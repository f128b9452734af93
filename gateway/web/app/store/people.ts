// People: names of users by id (entries carry ids only), friends and requests, blocks, who is
// online, and the user search.
import { signal } from '@preact/signals';
import { api, me, sessionEvents } from './session.ts';
import { sortPeople, applyFriendUpdate, applyPresence, type Person, type UserRef, type FriendStatus } from '../state/mod.ts';
import { notify, errorText } from './notices.ts';

export const people = signal<Person[]>([]);
export const names = signal<ReadonlyMap<number, string>>(new Map());
/** Online state of any user we have heard about (friends' pushes, members' lists, queries). */
export const online = signal<ReadonlyMap<number, boolean>>(new Map());

const asked = new Set<number>();
let batch: number[] = [];
let batchTimer: ReturnType<typeof setTimeout> | undefined;

export function rememberNames(users: readonly UserRef[]): void {
  const fresh = users.filter((u) => names.value.get(u.id) !== u.name);
  if (!fresh.length) return;
  const next = new Map(names.value);
  for (const u of fresh) next.set(u.id, u.name);
  names.value = next;
}

export function setOnline(entries: readonly { user: number; online: boolean }[]): void {
  const next = new Map(online.value);
  for (const e of entries) next.set(e.user, e.online);
  online.value = next;
}

/** A user's name; unknown ids are looked up (users.get, batched) and shown as "user N" meanwhile. */
export function nameOf(id: number): string {
  if (id === 0) return 'Troupe';
  if (me.value?.id === id) return me.value.name;
  const n = names.value.get(id);
  if (n !== undefined) return n;
  if (!asked.has(id)) {
    asked.add(id);
    batch.push(id);
    batchTimer ??= setTimeout(flushNames, 0);
  }
  return `user ${id}`;
}

function flushNames(): void {
  batchTimer = undefined;
  const ids = batch.splice(0, 100);
  if (batch.length) batchTimer = setTimeout(flushNames, 0);
  if (!ids.length) return;
  api().request('users.get', { ids }).then(({ users }) => rememberNames(users), () => {
    for (const id of ids) asked.delete(id); // asked again when shown again
  });
}

export async function loadPeople(): Promise<void> {
  const { friends } = await api().request('friends.list', {});
  rememberNames(friends.map((f) => f.user));
  setOnline(friends.map((f) => ({ user: f.user.id, online: f.online })));
  people.value = sortPeople(friends);
}

export async function findUsers(query: string): Promise<UserRef[]> {
  const q = query.trim();
  if (!q) return [];
  const { users } = await api().request('users.find', { query: q.slice(0, 32), limit: 20 });
  rememberNames(users);
  return users.filter((u) => u.id !== me.value?.id);
}

type FriendOp = 'friends.request' | 'friends.accept' | 'friends.decline' | 'friends.remove' | 'friends.block' | 'friends.unblock';

const after: Record<FriendOp, FriendStatus | null> = {
  'friends.request': null, 'friends.accept': 'friend', 'friends.decline': 'none', 'friends.remove': 'none', 'friends.block': 'blocked', 'friends.unblock': 'none',
};

/** A friendship action; the list changes at once (the push that follows says the same). */
export async function friendAction(op: FriendOp, user: UserRef): Promise<boolean> {
  try {
    const r = await api().request(op, { user: user.id });
    const status = op === 'friends.request' ? (r as { status: FriendStatus }).status : after[op]!;
    people.value = applyFriendUpdate(people.value, user, status);
    // a new friend's presence pushes start now; ask where they are meanwhile
    if (status === 'friend') void queryPresence([user.id]).catch(() => {});
    return true;
  } catch (e) {
    notify(errorText(e), 'error');
    return false;
  }
}

/** Online state of some users (room members who are not friends get no presence pushes). */
export async function queryPresence(users: readonly number[]): Promise<void> {
  if (!users.length) return;
  const { presence } = await api().request('presence.query', { users: users.slice(0, 200) });
  setOnline(presence);
  let list = people.value;
  for (const p of presence) list = applyPresence(list, p.user, p.online, p.devices);
  people.value = list;
}

sessionEvents.on('ready', () => {
  people.value = [];
  void loadPeople().catch(() => {});
});
sessionEvents.on('reconnected', () => void loadPeople().catch(() => {}));
sessionEvents.on('push', (p) => {
  if (p.op === 'friends.update') {
    const { user, status } = p as unknown as { user: UserRef; status: FriendStatus };
    rememberNames([user]);
    const before = people.value.find((x) => x.user.id === user.id)?.status;
    people.value = applyFriendUpdate(people.value, user, status);
    if (status === 'incoming' && before !== 'incoming') notify(`${user.name} sent you a friend request`, 'info');
    if (status === 'friend' && before === 'outgoing') notify(`${user.name} accepted your friend request`, 'info');
    if (status === 'friend') void queryPresence([user.id]).catch(() => {});
  } else if (p.op === 'presence') {
    const { user, online: on, devices } = p as unknown as { user: number; online: boolean; devices: string[] };
    setOnline([{ user, online: on }]);
    people.value = applyPresence(people.value, user, on, devices);
  }
});
