// What a room's watch actor does with each message, as pure functions: (state, context, event)
// -> the state to be in next, the new context and the effects. The machine (machine.ts) routes
// each event of each state through them; nothing here reads a clock or the network. Time is the
// message's stream timestamp (`at`).
//
// The timeline is `{epoch, state, position, at, rate, media}`: the state is the machine's state
// value, the rest lives in the context. Every change raises the epoch, and a member's command
// names the epoch it saw, so a stale or retried command is refused (`conflict`) instead of
// applying twice or undoing a newer one.
import { subjects, targetPosition, endTime, type OpName, type OpError, type ErrorReason, type Timeline, type WatchMedia, type WatchSettings, type MediaLocation, type Viewer as WireViewer, type ControlPolicy, type StartReport } from '../../protocol/mod.ts';
import { effects, type Effect } from '../runtime/mod.ts';

export type State = 'idle' | 'preparing' | 'playing' | 'paused' | 'ended';
export type Role = 'owner' | 'admin' | 'member';

export interface Viewer {
  /** user */
  u: number;
  /** user name (display) */
  n: string;
  /** gateway instance holding the connection */
  g: string;
  /** joined at (ms) */
  t: number;
  /** the last epoch this viewer said it was ready at (-1: never, or stalled since) */
  r: number;
  /** stalled while the room plays */
  st: boolean;
  /** its last reported round trip to its gateway (ms) */
  rtt: number;
  /** How far ahead of deciding a start must be set to reach it in time, as learned from its start reports (ms; absent: none yet). */
  nd?: number;
  /** The start epoch `nd` last learned from (each start teaches once). */
  ne?: number;
}

export interface WatchContext {
  rid: string;
  /** Members and roles as the room actor reported them; null until it has. */
  roster: Record<string, Role> | null;
  epoch: number;
  position: number;
  at: number;
  rate: number;
  media: WatchMedia | null;
  location: MediaLocation | null;
  /** The epoch the position last jumped at (load, seek): a ready report older than it is stale. */
  posEpoch: number;
  settings: WatchSettings;
  viewers: Record<string, Viewer>;
  /** Raised whenever the viewers or the movie change: the placement version the group actor sees. */
  vv: number;
  /** Raised with every change members see of the viewers (who, their status): orders the lists they get. */
  vr?: number;
  /** preparing: the viewers play waits for (those watching when it began). */
  waiting: string[];
  /** The current seek burst: seeks until `until` coalesce; `pending` is applied when it ends. */
  burst: { until: number; base: number; pending: { position: number; by: number } | null } | null;
  /** Control rate limit per user: tokens left at time `at` (absent: a full bucket). */
  buckets: Record<string, { tokens: number; at: number }>;
  /** When the room paused for each viewer's stalls, recently. */
  stallPauses: Record<string, number[]>;
  /** `prepare`, `end`, `seek` -> ms. */
  deadlines: Record<string, number>;
  /** The last scheduled start: its epoch and how far ahead of deciding it was set (ms). */
  lastStart?: { epoch: number; leadMs: number };
}

export interface WatchOptions {
  /** How long preparing waits for members to be ready before playing anyway. */
  prepareMs: number;
  /** The least time between deciding to play and the scheduled start (covers delivery and the actor's own lag). */
  startLeadMs: number;
  /** The most. */
  maxStartLeadMs: number;
  /** Kept beyond the lead the slowest viewer's start reports say it needs (ms). */
  startSpareMs: number;
  /** A pause for a stalled member lasts at most this long. */
  stallPauseMs: number;
  /** The room stops pausing for a member it paused for this many times within `stallWindowMs`. */
  stallPauseLimit: number;
  stallWindowMs: number;
  /** Control requests per user: burst and refill. */
  controlBurst: number;
  controlPerMinute: number;
  maxViewers: number;
  /** Seeks this close to the previous one are coalesced. */
  seekCoalesceMs: number;
}

export const defaultWatchOptions: WatchOptions = {
  prepareMs: 3000, startLeadMs: 250, maxStartLeadMs: 2000, startSpareMs: 50, stallPauseMs: 8000, stallPauseLimit: 3, stallWindowMs: 5 * 60_000,
  controlBurst: 10, controlPerMinute: 60, maxViewers: 100, seekCoalesceMs: 150,
};

export interface Outcome {
  to: State;
  ctx: WatchContext;
  effects: Effect[];
}

export function initialContext(rid: string): WatchContext {
  return {
    rid, roster: null, epoch: 0, position: 0, at: 0, rate: 1, media: null, location: null, posEpoch: 0,
    settings: { control: 'everyone', pauseForStalls: false }, viewers: {}, vv: 0, waiting: [], burst: null,
    buckets: {}, stallPauses: {}, deadlines: {},
  };
}

// ---- views ----

export function timeline(state: State, ctx: WatchContext): Timeline {
  return {
    epoch: ctx.epoch, state, position: ctx.position, at: ctx.at, rate: ctx.rate, media: ctx.media,
    ...(state === 'preparing' && ctx.deadlines.prepare !== undefined ? { until: ctx.deadlines.prepare } : {}),
  };
}

const point = (state: State, ctx: WatchContext) => ({ state, position: ctx.position, at: ctx.at, rate: ctx.rate, durationMs: ctx.media?.durationMs ?? 0 });

export function isReady(ctx: WatchContext, v: Viewer): boolean {
  return !v.st && v.r >= ctx.posEpoch;
}

export function viewerList(ctx: WatchContext): WireViewer[] {
  return Object.entries(ctx.viewers)
    .sort((a, b) => a[1].t - b[1].t || a[0].localeCompare(b[0]))
    .map(([viewer, v]) => ({ viewer, user: v.u, name: v.n, status: v.st ? 'stalled' : isReady(ctx, v) ? 'ready' : 'loading', since: v.t }));
}

export function mayControl(ctx: WatchContext, user: number): boolean {
  const role = ctx.roster?.[user];
  if (!role) return false;
  return allowed(ctx.settings.control, role);
}

function allowed(policy: ControlPolicy, role: Role): boolean {
  return policy === 'everyone' || (policy === 'admins' && role !== 'member') || role === 'owner';
}

export function isMember(ctx: WatchContext, user: number): boolean {
  return ctx.roster?.[user] !== undefined;
}

// ---- effects ----

const push = (ctx: WatchContext, body: Record<string, unknown>): Effect => effects.publish(subjects.watchEvents(ctx.rid), { push: body });

function summaryRow(state: State, ctx: WatchContext): Effect {
  return effects.write('room', { room: ctx.rid, state, file: ctx.media?.file ?? null, title: ctx.media?.title ?? '', viewers: Object.keys(ctx.viewers).length });
}

/** What the group actor holding the movie needs to place viewers on its nodes. */
function placementSync(ctx: WatchContext, location: MediaLocation | null, file: string | null, viewers: string[]): Effect[] {
  if (!location) return [];
  return [effects.send('group', location.group, {
    type: 'viewers', room: ctx.rid, version: ctx.vv,
    file: file ? { id: file, origin: location.origin, binlogSeq: location.binlogSeq } : null,
    viewers,
  }, `viewers:${ctx.rid}:${location.group}:${ctx.vv}`)];
}

/** The outcome of a viewer or movie change: a new placement version, told to the group(s). */
function viewersMoved(before: WatchContext, ctx: WatchContext): { ctx: WatchContext; effects: Effect[] } {
  const next = { ...ctx, vv: ctx.vv + 1 };
  const out: Effect[] = [];
  if (before.location && before.location.group !== next.location?.group) out.push(...placementSync(next, before.location, null, []));
  out.push(...placementSync(next, next.location, next.media?.file ?? null, next.media ? Object.keys(next.viewers).sort() : []));
  return { ctx: next, effects: out };
}

/**
 * A viewers push when what members see of the viewers changed, under a raised revision: answers
 * and pushes can cross on the way to a client, which keeps the list with the highest.
 */
function viewersPush(before: WatchContext, after: WatchContext): { ctx: WatchContext; effects: Effect[] } {
  const now = viewerList(after);
  if (JSON.stringify(viewerList(before)) === JSON.stringify(now)) return { ctx: after, effects: [] };
  const ctx = { ...after, vr: (after.vr ?? 0) + 1 };
  return { ctx, effects: [push(ctx, { op: 'watch.viewers', room: ctx.rid, viewers: now, viewersRev: ctx.vr })] };
}

const done = (to: State, ctx: WatchContext, ...effs: Effect[]): Outcome => ({ to, ctx, effects: effs });

/** A refusal on behalf of client op `op`: only a code the op lists type-checks. */
const refuse = <N extends OpName>(to: State, ctx: WatchContext, _op: N, code: OpError<N>, message: string, reason?: ErrorReason): Outcome => done(to, ctx, effects.fail(code, message, reason));

function without<T>(rec: Record<string, T>, ...keys: string[]): Record<string, T> {
  if (!keys.some((k) => k in rec)) return rec;
  const out = { ...rec };
  for (const k of keys) delete out[k];
  return out;
}

/**
 * Moves the timeline to `to` with new fields (epoch + 1), keeping the deadlines in step with the
 * state (prepare only while preparing, end only while playing), and tells the room.
 */
function change(from: State, ctx: WatchContext, to: State, fields: Partial<Pick<WatchContext, 'position' | 'at' | 'rate' | 'media' | 'location' | 'posEpoch' | 'waiting'>>, cause: { op: string; by?: number }, prepareUntil?: number): Outcome {
  const epoch = ctx.epoch + 1;
  let next: WatchContext = { ...ctx, ...fields, epoch };
  if (fields.position !== undefined) next.position = Math.max(0, Math.round(fields.position));
  let deadlines = without(next.deadlines, 'prepare', 'end');
  if (to === 'preparing') deadlines = { ...deadlines, prepare: prepareUntil ?? next.deadlines.prepare ?? next.at };
  const end = endTime(point(to, next));
  if (end !== null) deadlines = { ...deadlines, end: Math.ceil(end) };
  if (to !== 'preparing') next = { ...next, waiting: [] };
  next = { ...next, deadlines };
  const effs: Effect[] = [push(next, { op: 'watch.timeline', room: next.rid, timeline: timeline(to, next), cause: cause.op, ...(cause.by !== undefined ? { by: cause.by } : {}) })];
  if (from !== to || fields.media !== undefined) effs.push(summaryRow(to, next));
  const seen = viewersPush(ctx, next);
  return { to, ctx: seen.ctx, effects: [...effs, ...seen.effects] };
}

function chain(first: Outcome, ...more: ((o: Outcome) => Outcome)[]): Outcome {
  let out = first;
  for (const f of more) {
    const next = f(out);
    out = { to: next.to, ctx: next.ctx, effects: [...out.effects, ...next.effects] };
  }
  return out;
}

// ---- authority and limits ----

/** Takes a token from the user's control bucket; null when it is empty. */
function takeToken(ctx: WatchContext, user: number, at: number, o: WatchOptions): WatchContext | null {
  const b = ctx.buckets[user];
  const perMs = o.controlPerMinute / 60_000;
  const tokens = b ? Math.min(o.controlBurst, b.tokens + (at - b.at) * perMs) : o.controlBurst;
  if (tokens < 1) return null;
  // buckets that are full again need no entry
  const buckets: WatchContext['buckets'] = {};
  for (const [u, x] of Object.entries(ctx.buckets)) if (u !== String(user) && x.tokens + (at - x.at) * perMs < o.controlBurst) buckets[u] = x;
  buckets[user] = { tokens: tokens - 1, at };
  return { ...ctx, buckets };
}

type ControlOp = 'watch.load' | 'watch.play' | 'watch.pause' | 'watch.seek' | 'watch.rate';

/** Who may send a control command at all: a member the room's `control` setting includes, in a room with a movie (but for load). */
function authorize(state: State, ctx: WatchContext, op: ControlOp, by: number): Outcome | null {
  if (!isMember(ctx, by)) return refuse(state, ctx, op, 'forbidden', 'only members of the room control what it watches', 'not_member');
  if (!mayControl(ctx, by)) return refuse(state, ctx, op, 'forbidden', `in this room ${ctx.settings.control === 'owner' ? 'only the owner controls' : 'only the owner and admins control'} playback`);
  if (op !== 'watch.load' && state === 'idle') return refuse(state, ctx, op, 'conflict', 'nothing is loaded: pick a movie first (watch.load)');
  return null;
}

/** Whether a command that would change the timeline may: based on the current epoch, within the user's rate limit. */
function admit(state: State, ctx: WatchContext, op: ControlOp, e: { by: number; epoch: number; at: number }, o: WatchOptions, epochOk = e.epoch === ctx.epoch): Outcome | WatchContext {
  const refused = authorize(state, ctx, op, e.by);
  if (refused) return refused;
  if (!epochOk) return refuse(state, ctx, op, 'conflict', `the timeline moved on (epoch ${ctx.epoch}, your command is based on ${e.epoch}): look at the current one and decide again`);
  const taken = takeToken(ctx, e.by, e.at, o);
  if (!taken) return refuse(state, ctx, op, 'rate_limited', `at most ${o.controlBurst} control requests at once and ${o.controlPerMinute} a minute`);
  return taken;
}

/** A command that changes nothing in this state (play while playing): answered with the timeline, whatever its epoch. */
function noChange(state: State, ctx: WatchContext, op: ControlOp, by: number): Outcome {
  return authorize(state, ctx, op, by) ?? reply(done(state, ctx));
}

const reply = (o: Outcome, extra: Record<string, unknown> = {}): Outcome => ({ ...o, effects: [...o.effects, effects.reply({ timeline: timeline(o.to, o.ctx), ...extra })] });

// ---- playing starts ----

/**
 * The scheduled start: far enough ahead for the slowest viewer's round trip, and for what the
 * viewers' start reports say the last starts needed to reach them in time (the round trip misses
 * this actor's own lag and a busy gateway or page: under load a start's push reached pages after
 * its `at`, and each such page had to find its own way back in step).
 */
export function startLead(ctx: WatchContext, o: WatchOptions): number {
  const vs = Object.values(ctx.viewers);
  const rtt = Math.max(0, ...vs.map((v) => v.rtt));
  const needed = Math.max(0, ...vs.map((v) => (v.nd === undefined ? 0 : v.nd + o.startSpareMs)));
  return Math.round(Math.min(o.maxStartLeadMs, Math.max(o.startLeadMs + 2 * rtt, needed)));
}

function start(ctx: WatchContext, at: number, o: WatchOptions, by?: number): Outcome {
  const leadMs = startLead(ctx, o);
  const started = change('preparing', ctx, 'playing', { at: at + leadMs }, { op: 'start', ...(by !== undefined ? { by } : {}) });
  return { ...started, ctx: { ...started.ctx, lastStart: { epoch: started.ctx.epoch, leadMs } } };
}

/**
 * What a viewer's report on the last start teaches: the lead that start would have needed to
 * reach it with its player's own lead to spare. A lead that fell short is taken at once, a
 * generous one only halfway (a busy moment should not leave every later start late, and one
 * quiet start should not forget it).
 */
export function learnStartNeed(ctx: WatchContext, v: Viewer, r: StartReport | undefined, o: WatchOptions): Viewer {
  const last = ctx.lastStart;
  if (!r || !last || r.epoch !== last.epoch || v.ne === r.epoch) return v;
  const need = Math.min(o.maxStartLeadMs, Math.max(0, last.leadMs - r.marginMs + r.leadMs));
  const nd = v.nd === undefined || need >= v.nd ? need : v.nd + 0.5 * (need - v.nd);
  return { ...v, nd: Math.round(nd), ne: r.epoch };
}

/** Enters preparing at `position`, waiting for `waiting`; plays at once when nobody needs waiting for. */
function prepare(from: State, ctx: WatchContext, at: number, o: WatchOptions, fields: Parameters<typeof change>[3], cause: { op: string; by?: number }, untilMs = o.prepareMs): Outcome {
  const entered = change(from, ctx, 'preparing', { at, ...fields }, cause, at + untilMs);
  return settlePreparing(entered, at, o);
}

/** In preparing: play once everyone waited for is ready (or gone). */
function settlePreparing(o: Outcome, at: number, opts: WatchOptions): Outcome {
  if (o.to !== 'preparing') return o;
  const waiting = o.ctx.waiting.filter((c) => o.ctx.viewers[c] && !isReady(o.ctx, o.ctx.viewers[c]));
  const ctx = waiting.length === o.ctx.waiting.length ? o.ctx : { ...o.ctx, waiting };
  if (waiting.length > 0) return { ...o, ctx };
  return chain({ ...o, ctx }, (x) => start(x.ctx, at, opts));
}

// ---- control commands ----

export function load(state: State, ctx: WatchContext, e: { by: number; epoch: number; media: WatchMedia; location: MediaLocation; at: number }, o: WatchOptions): Outcome {
  const a = admit(state, ctx, 'watch.load', e, o);
  if ('to' in a) return a;
  // a new movie: no seek burst, no stalls carried over
  const base = { ...a, burst: null, deadlines: without(a.deadlines, 'seek'), viewers: Object.fromEntries(Object.entries(a.viewers).map(([c, v]) => [c, { ...v, st: false }])) };
  const moved = viewersMoved(ctx, { ...base, media: e.media, location: e.location });
  const out = prepare(state, moved.ctx, e.at, o, {
    position: 0, rate: 1, media: e.media, location: e.location, posEpoch: ctx.epoch + 1, waiting: Object.keys(a.viewers),
  }, { op: 'load', by: e.by });
  return reply({ ...out, effects: [...moved.effects, ...out.effects] });
}

export function play(state: State, ctx: WatchContext, e: { by: number; epoch: number; at: number }, o: WatchOptions): Outcome {
  if (state === 'playing' || state === 'preparing') return noChange(state, ctx, 'watch.play', e.by);
  const a = admit(state, ctx, 'watch.play', e, o);
  if ('to' in a) return a;
  if (state === 'ended') {
    // from the top: everyone gets ready at 0 again
    return reply(prepare(state, a, e.at, o, { position: 0, posEpoch: a.epoch + 1, waiting: Object.keys(a.viewers) }, { op: 'play', by: e.by }));
  }
  const notReady = Object.entries(a.viewers).filter(([, v]) => !isReady(a, v)).map(([c]) => c);
  return reply(prepare(state, a, e.at, o, { waiting: notReady }, { op: 'play', by: e.by }));
}

export function pause(state: State, ctx: WatchContext, e: { by: number; epoch: number; at: number }, o: WatchOptions): Outcome {
  if (state === 'paused' || state === 'ended') return noChange(state, ctx, 'watch.pause', e.by);
  const a = admit(state, ctx, 'watch.pause', e, o);
  if ('to' in a) return a;
  return reply(change(state, a, 'paused', { position: targetPosition(point(state, a), e.at), at: e.at }, { op: 'pause', by: e.by }));
}

export function seek(state: State, ctx: WatchContext, e: { by: number; epoch: number; position: number; at: number }, o: WatchOptions): Outcome {
  const b = ctx.burst;
  const inBurst = b !== null && e.at < b.until && e.epoch >= b.base && e.epoch <= ctx.epoch;
  const a = admit(state, ctx, 'watch.seek', e, o, inBurst || e.epoch === ctx.epoch);
  if ('to' in a) return a;
  const position = clampPosition(a, e.position);
  if (inBurst) {
    // part of a burst (a member dragging the position): the last position wins when it ends
    const next = { ...a, burst: { ...b!, pending: { position, by: e.by } }, deadlines: { ...a.deadlines, seek: b!.until } };
    return reply(done(state, next), { pending: true });
  }
  const opened = { ...a, burst: { until: e.at + o.seekCoalesceMs, base: ctx.epoch, pending: null }, deadlines: without(a.deadlines, 'seek') };
  return reply(jump(state, opened, position, e.at, o, e.by));
}

/** A seek applied: paused stays paused at the new position; playing gets ready there first. */
function jump(state: State, ctx: WatchContext, position: number, at: number, o: WatchOptions, by: number): Outcome {
  const cause = { op: 'seek', by };
  if (state === 'playing' || state === 'preparing') {
    return prepare(state, ctx, at, o, { position, posEpoch: ctx.epoch + 1, waiting: Object.keys(ctx.viewers) }, cause);
  }
  return change(state, ctx, 'paused', { position, at, posEpoch: ctx.epoch + 1 }, cause);
}

function clampPosition(ctx: WatchContext, position: number): number {
  const d = ctx.media?.durationMs ?? 0;
  return d > 0 ? Math.min(position, d) : position;
}

/** The end of a seek burst: its last position applies now. */
export function seekBurstEnds(state: State, ctx: WatchContext, at: number, o: WatchOptions): Outcome {
  const b = ctx.burst;
  const base = { ...ctx, deadlines: without(ctx.deadlines, 'seek') };
  if (!b?.pending || state === 'idle') return done(state, { ...base, burst: null });
  return jump(state, { ...base, burst: { until: at + o.seekCoalesceMs, base: b.base, pending: null } }, clampPosition(ctx, b.pending.position), at, o, b.pending.by);
}

export function setRate(state: State, ctx: WatchContext, e: { by: number; epoch: number; rate: number; at: number }, o: WatchOptions): Outcome {
  const a = admit(state, ctx, 'watch.rate', e, o);
  if ('to' in a) return a;
  if (state === 'playing' && e.at >= a.at) {
    // re-based at now, so the position does not jump
    return reply(change(state, a, 'playing', { position: targetPosition(point(state, a), e.at), at: e.at, rate: e.rate }, { op: 'rate', by: e.by }));
  }
  return reply(change(state, a, state, { rate: e.rate }, { op: 'rate', by: e.by }));
}

// ---- the room's own transitions ----

/** The preparing deadline: play, ready or not (stragglers catch up on their own). */
export function prepareTimeout(state: State, ctx: WatchContext, at: number, o: WatchOptions): Outcome {
  const base = { ...ctx, deadlines: without(ctx.deadlines, 'prepare') };
  if (state !== 'preparing') return done(state, base);
  return start(ctx, at, o);
}

export function reachEnd(state: State, ctx: WatchContext, at: number): Outcome {
  const base = { ...ctx, deadlines: without(ctx.deadlines, 'end') };
  if (state !== 'playing') return done(state, base);
  const end = endTime(point(state, ctx));
  // a rate change since the deadline was set moved the end: the new deadline is already set
  if (end === null || end > at + 1) return done(state, ctx);
  return change(state, base, 'ended', { position: ctx.media?.durationMs ?? ctx.position, at }, { op: 'end' });
}

// ---- viewers ----

export function join(state: State, ctx: WatchContext, e: { user: number; name: string; conn: string; gateway: string; at: number }, o: WatchOptions): Outcome {
  if (ctx.roster === null) return refuse(state, ctx, 'watch.join', 'not_found', 'the room has not told its members yet');
  const role = ctx.roster[e.user];
  if (!role) return refuse(state, ctx, 'watch.join', 'forbidden', 'only members of the room watch with it', 'not_member');
  const answer = (c: WatchContext) => effects.reply({ timeline: timeline(state, c), settings: c.settings, viewers: viewerList(c), viewersRev: c.vr ?? 0, viewer: e.conn, role, mayControl: mayControl(c, e.user) });
  if (ctx.viewers[e.conn]) return done(state, ctx, answer(ctx));
  if (Object.keys(ctx.viewers).length >= o.maxViewers) return refuse(state, ctx, 'watch.join', 'limit_exceeded', `a room has at most ${o.maxViewers} viewers`);
  const added = { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { u: e.user, n: e.name, g: e.gateway, t: e.at, r: -1, st: false, rtt: 0 } } };
  const moved = viewersMoved(ctx, added);
  const seen = viewersPush(ctx, moved.ctx);
  return done(state, seen.ctx,
    effects.write('viewers', { room: ctx.rid, add: [{ conn: e.conn, user: e.user, gateway: e.gateway, at: e.at }] }),
    summaryRow(state, seen.ctx),
    ...moved.effects,
    ...seen.effects,
    answer(seen.ctx));
}

/** Viewers go away (left, connection closed, gateway lost, removed from the room). */
export function dropViewers(state: State, ctx: WatchContext, conns: string[], at: number, o: WatchOptions): Outcome {
  const gone = conns.filter((c) => ctx.viewers[c]);
  if (gone.length === 0) return done(state, ctx);
  const removed = { ...ctx, viewers: without(ctx.viewers, ...gone), stallPauses: without(ctx.stallPauses, ...gone) };
  const moved = viewersMoved(ctx, removed);
  const seen = viewersPush(ctx, moved.ctx);
  const out = done(state, seen.ctx,
    effects.write('viewers', { room: ctx.rid, remove: gone }),
    summaryRow(state, seen.ctx),
    ...moved.effects,
    ...seen.effects);
  return chain(out, (x) => settlePreparing(done(x.to, x.ctx), at, o));
}

export function leave(state: State, ctx: WatchContext, e: { conn: string; at: number }, o: WatchOptions): Outcome {
  return chain(dropViewers(state, ctx, [e.conn], e.at, o), (x) => done(x.to, x.ctx, effects.reply({})));
}

export function gatewayDown(state: State, ctx: WatchContext, e: { gateway: string; at: number }, o: WatchOptions): Outcome {
  return dropViewers(state, ctx, Object.entries(ctx.viewers).filter(([, v]) => v.g === e.gateway).map(([c]) => c), e.at, o);
}

function ownViewer(ctx: WatchContext, user: number, conn: string): Viewer | null {
  const v = ctx.viewers[conn];
  return v && v.u === user ? v : null;
}

export function ready(state: State, ctx: WatchContext, e: { user: number; conn: string; epoch: number; rttMs?: number; start?: StartReport; at: number }, o: WatchOptions): Outcome {
  const v0 = ownViewer(ctx, e.user, e.conn);
  if (!v0) return refuse(state, ctx, 'watch.ready', 'forbidden', 'this connection is not watching the room (watch.join first)');
  const v = learnStartNeed(ctx, v0, e.start, o);
  // a report about an older position, or one we never handed out, changes nothing
  if (e.epoch < ctx.posEpoch || e.epoch > ctx.epoch || (v.r >= e.epoch && !v.st && (e.rttMs === undefined || e.rttMs === v.rtt))) {
    return done(state, v === v0 ? ctx : { ...ctx, viewers: { ...ctx.viewers, [e.conn]: v } }, effects.reply({}));
  }
  const next = { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { ...v, r: Math.max(v.r, e.epoch), st: false, rtt: e.rttMs ?? v.rtt } } };
  const seen = viewersPush(ctx, next);
  return chain(done(state, seen.ctx, ...seen.effects), (x) => settlePreparing(x, e.at, o), (x) => done(x.to, x.ctx, effects.reply({})));
}

/** Whether the room still pauses for this viewer (not one that keeps stalling). */
function stallPausesLeft(ctx: WatchContext, conn: string, at: number, o: WatchOptions): boolean {
  return (ctx.stallPauses[conn] ?? []).filter((t) => at - t < o.stallWindowMs).length < o.stallPauseLimit;
}

export function stall(state: State, ctx: WatchContext, e: { user: number; conn: string; epoch: number; at: number }, o: WatchOptions): Outcome {
  const v = ownViewer(ctx, e.user, e.conn);
  if (!v) return refuse(state, ctx, 'watch.stall', 'forbidden', 'this connection is not watching the room (watch.join first)');
  if (state !== 'playing' || e.epoch !== ctx.epoch || v.st) return done(state, ctx, effects.reply({}));
  const seen = viewersPush(ctx, { ...ctx, viewers: { ...ctx.viewers, [e.conn]: { ...v, st: true } } });
  const next = seen.ctx;
  const marked = done(state, next, ...seen.effects);
  if (!ctx.settings.pauseForStalls || !stallPausesLeft(ctx, e.conn, e.at, o)) return chain(marked, (x) => done(x.to, x.ctx, effects.reply({})));
  // the room waits for this viewer where the movie is now, for at most stallPauseMs
  const recent = [...(ctx.stallPauses[e.conn] ?? []).filter((t) => e.at - t < o.stallWindowMs), e.at];
  const paused = { ...next, stallPauses: { ...next.stallPauses, [e.conn]: recent } };
  return chain(marked,
    () => prepare(state, paused, e.at, o, { position: targetPosition(point(state, ctx), e.at), waiting: [e.conn] }, { op: 'stall', by: v.u }, o.stallPauseMs),
    (x) => done(x.to, x.ctx, effects.reply({})));
}

/** The movie a viewer reads, for its read ticket (watch.source): only for this room's viewers. */
export function source(state: State, ctx: WatchContext, e: { user: number; conn: string }): Outcome {
  if (!ownViewer(ctx, e.user, e.conn)) return refuse(state, ctx, 'watch.source', 'forbidden', 'this connection is not watching the room (watch.join first)');
  if (!ctx.media || !ctx.location) return refuse(state, ctx, 'watch.source', 'conflict', 'nothing is loaded');
  return done(state, ctx, effects.reply({ file: ctx.media.file, version: ctx.vv, contentType: ctx.media.contentType, size: ctx.media.size }));
}

export function view(state: State, ctx: WatchContext, e: { user: number }): Outcome {
  if (ctx.roster === null) return refuse(state, ctx, 'watch.state', 'not_found', 'the room has not told its members yet');
  if (!isMember(ctx, e.user)) return refuse(state, ctx, 'watch.state', 'forbidden', 'only members see what the room watches', 'not_member');
  return done(state, ctx, effects.reply({ timeline: timeline(state, ctx), settings: ctx.settings, viewers: viewerList(ctx), viewersRev: ctx.vr ?? 0 }));
}

export function settings(state: State, ctx: WatchContext, e: { by: number; control?: ControlPolicy; pauseForStalls?: boolean }): Outcome {
  const role = ctx.roster?.[e.by];
  if (!role) return refuse(state, ctx, 'watch.settings', 'forbidden', 'only members of the room change its settings', 'not_member');
  if (role === 'member') return refuse(state, ctx, 'watch.settings', 'forbidden', 'only the owner and admins change the room\'s watch settings');
  if (e.control === 'owner' && role !== 'owner') return refuse(state, ctx, 'watch.settings', 'forbidden', 'only the owner hands control to the owner alone');
  const next = { ...ctx, settings: { control: e.control ?? ctx.settings.control, pauseForStalls: e.pauseForStalls ?? ctx.settings.pauseForStalls } };
  if (JSON.stringify(next.settings) === JSON.stringify(ctx.settings)) return done(state, ctx, effects.reply({ settings: ctx.settings }));
  return done(state, next, push(next, { op: 'watch.settings', room: ctx.rid, settings: next.settings, by: e.by }), effects.reply({ settings: next.settings }));
}

// ---- the roster, from the room actor ----

function removedFromRoom(ctx: WatchContext, users: Set<number>): { conns: string[]; effects: Effect[] } {
  const conns = Object.entries(ctx.viewers).filter(([, v]) => users.has(v.u)).map(([c]) => c);
  const effs = [...users].filter((u) => conns.some((c) => ctx.viewers[c].u === u)).map((u) => effects.publish(subjects.userEvents(u), {
    watch: { leave: [ctx.rid] }, push: { op: 'watch.left', room: ctx.rid, reason: 'removed' },
  }));
  return { conns, effects: effs };
}

export function roster(state: State, ctx: WatchContext, e: { members: Record<string, Role>; at: number }, o: WatchOptions): Outcome {
  const next = { ...ctx, roster: e.members };
  const gone = new Set(Object.values(ctx.viewers).map((v) => v.u).filter((u) => !e.members[u]));
  const r = removedFromRoom(ctx, gone);
  return chain(done(state, next, ...r.effects), (x) => dropViewers(x.to, x.ctx, r.conns, e.at, o));
}

export function member(state: State, ctx: WatchContext, e: { user: number; role: Role | null; at: number }, o: WatchOptions): Outcome {
  // before the roster: the roster, sent later in the room's order, includes this change
  if (ctx.roster === null) return done(state, ctx);
  if (e.role !== null) return done(state, { ...ctx, roster: { ...ctx.roster, [e.user]: e.role } });
  const next = { ...ctx, roster: without(ctx.roster, String(e.user)) };
  const r = removedFromRoom(ctx, new Set([e.user]));
  return chain(done(state, next, ...r.effects), (x) => dropViewers(x.to, x.ctx, r.conns, e.at, o));
}
