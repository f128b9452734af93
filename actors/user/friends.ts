// Friendship rules of the user actor, as pure functions. Each side keeps its own view
// (outgoing/incoming request, friend, blocked) and tells the other side with peer* messages
// through the runtime's outbox, so both views converge.
import { subjects, type OpName, type OpError } from '../../protocol/mod.ts';
import { effects, type Effect } from '../runtime/mod.ts';

export type Status = 'friend' | 'outgoing' | 'incoming' | 'blocked';

export interface Friend {
  s: Status;
  /** Their name (for pushes); learned with the request. */
  n: string;
}

export interface FriendsState {
  uid: number;
  name: string;
  friends: Record<string, Friend>;
  /** Users who block this one. */
  blockedBy: Record<string, boolean>;
}

export interface FriendOutcome {
  state: FriendsState;
  effects: Effect[];
}

const directRoom = (a: number, b: number) => (a < b ? `d${a}-${b}` : `d${b}-${a}`);

function set(st: FriendsState, other: number, f: Friend | null): FriendsState {
  const friends = { ...st.friends };
  if (f) friends[other] = f;
  else delete friends[other];
  return { ...st, friends };
}

/** Own devices learn the new status; the friendships table mirrors it. */
function changed(st: FriendsState, other: number, name: string, status: Status | 'none'): Effect[] {
  return [
    effects.publish(subjects.userEvents(st.uid), { push: { op: 'friends.update', user: { id: other, name }, status } }),
    effects.write('friend', { user: st.uid, other, status: status === 'none' ? null : status }),
  ];
}

const peer = (other: number, body: { type: string; [k: string]: unknown }) => effects.send('user', String(other), body);
const out = (state: FriendsState, ...e: Effect[]): FriendOutcome => ({ state, effects: e });
/** A refusal on behalf of client op `op`: only a code the op lists (protocol/chat.ts) type-checks. */
const fail = <N extends OpName>(st: FriendsState, _op: N, code: OpError<N>, message: string) => out(st, effects.fail(code, message));

export function request(st: FriendsState, to: number, toName: string, fromName: string): FriendOutcome {
  if (to === st.uid) return fail(st, 'friends.request', 'bad_request', 'you cannot befriend yourself');
  const cur = st.friends[to]?.s;
  const me = { ...st, name: fromName || st.name };
  if (cur === 'blocked') return fail(st, 'friends.request', 'conflict', 'you block this user; unblock first');
  if (st.blockedBy[to]) return fail(st, 'friends.request', 'forbidden', 'this user does not accept requests from you');
  if (cur === 'friend') return out(me, effects.reply({ status: 'friend' }));
  if (cur === 'incoming') {
    const next = set(me, to, { s: 'friend', n: toName });
    return out(next, peer(to, { type: 'peerAccept', from: st.uid }), ...changed(next, to, toName, 'friend'), effects.reply({ status: 'friend' }));
  }
  const next = set(me, to, { s: 'outgoing', n: toName });
  return out(next, peer(to, { type: 'peerRequest', from: st.uid, name: me.name }), ...changed(next, to, toName, 'outgoing'), effects.reply({ status: 'outgoing' }));
}

export function accept(st: FriendsState, other: number): FriendOutcome {
  const f = st.friends[other];
  if (f?.s !== 'incoming') return fail(st, 'friends.accept', 'conflict', 'no request from this user');
  const next = set(st, other, { s: 'friend', n: f.n });
  return out(next, peer(other, { type: 'peerAccept', from: st.uid }), ...changed(next, other, f.n, 'friend'), effects.reply({}));
}

export function decline(st: FriendsState, other: number): FriendOutcome {
  const f = st.friends[other];
  if (f?.s !== 'incoming' && f?.s !== 'outgoing') return fail(st, 'friends.decline', 'conflict', 'no pending request with this user');
  const next = set(st, other, null);
  return out(next, peer(other, { type: 'peerDecline', from: st.uid }), ...changed(next, other, f.n, 'none'), effects.reply({}));
}

export function remove(st: FriendsState, other: number): FriendOutcome {
  const f = st.friends[other];
  if (f?.s !== 'friend') return fail(st, 'friends.remove', 'conflict', 'not friends');
  const next = set(st, other, null);
  return out(next, peer(other, { type: 'peerRemove', from: st.uid }), ...changed(next, other, f.n, 'none'), effects.reply({}));
}

export function block(st: FriendsState, other: number, name: string): FriendOutcome {
  if (other === st.uid) return fail(st, 'friends.block', 'bad_request', 'you cannot block yourself');
  const n = st.friends[other]?.n || name;
  const next = set(st, other, { s: 'blocked', n });
  return out(next,
    peer(other, { type: 'peerBlock', from: st.uid, on: true }),
    effects.send('room', directRoom(st.uid, other), { type: 'block', by: st.uid, on: true }),
    ...changed(next, other, n, 'blocked'), effects.reply({}));
}

export function unblock(st: FriendsState, other: number): FriendOutcome {
  const f = st.friends[other];
  if (f?.s !== 'blocked') return fail(st, 'friends.unblock', 'conflict', 'you do not block this user');
  const next = set(st, other, null);
  return out(next,
    peer(other, { type: 'peerBlock', from: st.uid, on: false }),
    effects.send('room', directRoom(st.uid, other), { type: 'block', by: st.uid, on: false }),
    ...changed(next, other, f.n, 'none'), effects.reply({}));
}

// ---- from the other side ----

export function peerRequest(st: FriendsState, from: number, name: string): FriendOutcome {
  const cur = st.friends[from]?.s;
  if (cur === 'blocked' || cur === 'friend' || cur === 'incoming') return out(st);
  if (cur === 'outgoing') {
    // both asked: friends
    const next = set(st, from, { s: 'friend', n: name });
    return out(next, peer(from, { type: 'peerAccept', from: st.uid }), ...changed(next, from, name, 'friend'));
  }
  const next = set(st, from, { s: 'incoming', n: name });
  return out(next, ...changed(next, from, name, 'incoming'));
}

export function peerAccept(st: FriendsState, from: number): FriendOutcome {
  const f = st.friends[from];
  if (f?.s !== 'outgoing' && f?.s !== 'incoming') return out(st);
  const next = set(st, from, { s: 'friend', n: f.n });
  return out(next, ...changed(next, from, f.n, 'friend'));
}

export function peerEnd(st: FriendsState, from: number, ended: Status[]): FriendOutcome {
  const f = st.friends[from];
  if (!f || !ended.includes(f.s)) return out(st);
  const next = set(st, from, null);
  return out(next, ...changed(next, from, f.n, 'none'));
}

export function peerBlock(st: FriendsState, from: number, on: boolean): FriendOutcome {
  const blockedBy = { ...st.blockedBy };
  if (on) blockedBy[from] = true;
  else delete blockedBy[from];
  const base = { ...st, blockedBy };
  const f = st.friends[from];
  if (on && f && f.s !== 'blocked') {
    const next = set(base, from, null);
    return out(next, ...changed(next, from, f.n, 'none'));
  }
  return out(base);
}

/** Friends who should hear about presence changes. */
export function friendIds(st: FriendsState): number[] {
  return Object.entries(st.friends).filter(([, f]) => f.s === 'friend').map(([u]) => Number(u));
}
