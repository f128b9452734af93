// Watching a room with the client library: joins, keeps the room's latest timeline, settings and
// viewers from answers and pushes, keeps a server-clock estimate (ClockSync), and sends control
// commands with the epoch they are based on. Players (the web client, the terminal's mpv driver)
// feed their measurements to protocol/client/sync.ts and send what it decides through here.
// No Node imports: the browser build uses it too.
import type { Timeline, WatchSettings, Viewer, ControlPolicy } from '../watch.ts';
import type { RequestOf, ResponseOf } from '../ops.ts';
import { TroupeError } from '../errors.ts';
import { ClockEstimator, type ClockSample } from './clock.ts';
import type { PushMessage, TroupeClient } from './client.ts';

/** What WatchSession needs of a client (TroupeClient has it). */
/** What a watch session needs of a client (a TroupeClient, or a stand-in in tests). */
export type WatchClient = Pick<TroupeClient, 'request' | 'on' | 'off'>;

/** A timer that does not keep a Node process alive (browsers have no such notion). */
function background<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Local time in ms since the epoch, monotonic and sub-millisecond (Node and browsers). */
export const localNow = (): number => performance.timeOrigin + performance.now();

export interface ClockSyncOptions {
  /** Samples taken at start (and after a reconnect). Default 5. */
  burst?: number;
  /** Between them (ms). Default 100. */
  burstGapMs?: number;
  /** Then one sample this often (ms). Default 15 000. */
  everyMs?: number;
  /** ... or this often while the estimate is uncertain (ms). Default 2000. */
  uncertainEveryMs?: number;
  /** Uncertain: the estimate rests on a round trip over twice this (ms). Default 25. */
  uncertainAboveMs?: number;
  now?: () => number;
}

/**
 * Keeps a ClockEstimator fed with `ping` samples: a burst when started, then one every 15 s. While
 * the estimate is uncertain (it rests on slow round trips, say taken while the network was
 * congested) it samples every 2 s, and a sample much faster than the ones the estimate rests on
 * (the network got better) brings a burst at once: otherwise the congested samples, lopsided by
 * the congestion, would set the clock for minutes and the player would follow the room off by that.
 */
export class ClockSync {
  readonly estimator = new ClockEstimator();
  private timer?: ReturnType<typeof setTimeout>;
  private running = false;
  private readonly now: () => number;

  constructor(private readonly client: WatchClient, private readonly opts: ClockSyncOptions = {}) {
    this.now = opts.now ?? localNow;
  }

  /** One sample; false when the ping failed (the connection is away). */
  async sample(): Promise<boolean> {
    return (await this.take()) !== null;
  }

  private async take(): Promise<ClockSample | null> {
    const sent = this.now();
    try {
      const r = await this.client.request('ping', { t: sent }, { timeoutMs: 5000 });
      return this.estimator.add(sent, r.now, this.now());
    } catch {
      return null;
    }
  }

  async burst(): Promise<void> {
    const n = this.opts.burst ?? 5;
    for (let i = 0; i < n; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, this.opts.burstGapMs ?? 100));
      await this.sample();
    }
  }

  /** Whether the estimate rests on round trips too slow to trust it closely. */
  get uncertain(): boolean {
    const u = this.estimator.uncertainty;
    return u !== null && u > (this.opts.uncertainAboveMs ?? 25);
  }

  async start(): Promise<void> {
    await this.burst();
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.running) return;
    const ms = this.uncertain ? (this.opts.uncertainEveryMs ?? 2000) : (this.opts.everyMs ?? 15_000);
    this.timer = background(setTimeout(() => void this.periodic(), ms));
  }

  private async periodic(): Promise<void> {
    // half the slowest round trip the estimate rests on
    const resting = this.estimator.uncertainty;
    const s = await this.take();
    // a round trip under half of that: the network got better; re-estimate from fast samples now
    if (s && resting !== null && s.rtt < resting) await this.burst();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Server time now. */
  serverNow(): number {
    return this.estimator.serverTime(this.now());
  }

  /** Server time at a local time. */
  serverAt(local: number): number {
    return this.estimator.serverTime(local);
  }
}

export type WatchEventName = 'timeline' | 'viewers' | 'settings' | 'report' | 'left';

export interface WatchReport {
  viewer: string;
  user: number;
  position: number;
  driftMs: number;
  status: Viewer['status'];
}

type Listener = (value: unknown) => void;

export interface WatchSessionOptions {
  clock?: ClockSyncOptions;
  /** Ask for the room's state this often, in case a push was lost (ms; default 30 000; 0: never). */
  refreshMs?: number;
}

type Control = { library?: string; entry?: number; durationMs?: number };

/**
 * One room watched on one connection. Events (`on(name, fn)`): `timeline` (Timeline, with
 * `cause` and `by` of the push when it came as one), `viewers` (Viewer[]), `settings`,
 * `report` (WatchReport), `left` (reason).
 */
export class WatchSession {
  readonly clock: ClockSync;
  timeline: Timeline | null = null;
  settings: WatchSettings | null = null;
  viewers: Viewer[] = [];
  /** The revision of `viewers` (answers and pushes may cross: the highest wins). */
  private viewersRev = -1;
  /** This connection's viewer id. */
  viewer = '';
  role: 'owner' | 'admin' | 'member' = 'member';
  mayControl = false;
  private readonly listeners = new Map<WatchEventName, Set<Listener>>();
  private refresh?: ReturnType<typeof setInterval>;
  private joined = false;
  /** How the last scheduled start reached us: its epoch and its `at` minus the server time its push came (told to the room with the next `ready`). */
  lastStart: { epoch: number; marginMs: number } | null = null;
  private readonly onPush = (p: PushMessage) => this.push(p);
  private readonly onReconnect = () => void this.rejoin();

  constructor(private readonly client: WatchClient, readonly room: string, private readonly opts: WatchSessionOptions = {}) {
    this.clock = new ClockSync(client, opts.clock);
  }

  on(event: 'timeline', fn: (t: Timeline & { cause?: string; by?: number }) => void): this;
  on(event: 'viewers', fn: (v: Viewer[]) => void): this;
  on(event: 'settings', fn: (s: WatchSettings) => void): this;
  on(event: 'report', fn: (r: WatchReport) => void): this;
  on(event: 'left', fn: (reason: string) => void): this;
  on(event: WatchEventName, fn: (value: never) => void): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn as Listener);
    return this;
  }

  off(event: WatchEventName, fn: (value: never) => void): this {
    this.listeners.get(event)?.delete(fn as Listener);
    return this;
  }

  private emit(event: WatchEventName, value: unknown): void {
    for (const fn of this.listeners.get(event) ?? []) fn(value);
  }

  /** Joins the room (this connection becomes a viewer) and starts the clock sync. */
  async join(): Promise<void> {
    this.client.on('push', this.onPush);
    this.client.on('reconnected', this.onReconnect);
    this.joined = true;
    await this.enter();
    await this.clock.start();
    const every = this.opts.refreshMs ?? 30_000;
    if (every > 0) this.refresh = background(setInterval(() => void this.state().catch(() => {}), every));
  }

  private async enter(): Promise<void> {
    const r = await this.client.request('watch.join', { room: this.room });
    this.viewer = r.viewer;
    this.role = r.role;
    this.mayControl = r.mayControl;
    this.settings = r.settings;
    this.setViewers(r.viewers, r.viewersRev);
    this.offer(r.timeline, true);
  }

  /** After a reconnect the connection is a new one: join again, resample the clock. */
  private async rejoin(): Promise<void> {
    if (!this.joined) return;
    try {
      await this.enter();
      await this.clock.burst();
    } catch {
      // the next reconnect tries again
    }
  }

  /** Asks for the room's current state (also after a conflict). */
  async state(): Promise<Timeline> {
    const r = await this.client.request('watch.state', { room: this.room });
    this.settings = r.settings;
    this.setViewers(r.viewers, r.viewersRev);
    this.offer(r.timeline, true);
    return this.timeline!;
  }

  /** Server time now, by the clock estimate. */
  serverNow(): number {
    return this.clock.serverNow();
  }

  private setViewers(v: Viewer[], rev: number): void {
    if (rev < this.viewersRev) return;
    this.viewersRev = rev;
    this.viewers = v;
    this.emit('viewers', v);
  }

  /** A timeline from an answer or a push: only a newer one replaces ours (they may cross). */
  private offer(t: Timeline, forceEmit = false, extra: { cause?: string; by?: number } = {}): void {
    if (this.timeline && t.epoch < this.timeline.epoch) return;
    const changed = !this.timeline || t.epoch > this.timeline.epoch;
    this.timeline = t;
    if (changed || forceEmit) this.emit('timeline', { ...t, ...extra });
  }

  private push(p: PushMessage): void {
    if (p.room !== this.room) return;
    if (p.op === 'watch.timeline') {
      const t = p.timeline as Timeline;
      if (p.cause === 'start' && t.state === 'playing' && (!this.timeline || t.epoch > this.timeline.epoch)) this.lastStart = { epoch: t.epoch, marginMs: t.at - this.serverNow() };
      this.offer(t, false, { cause: p.cause as string, ...(p.by !== undefined ? { by: p.by as number } : {}) });
    }
    else if (p.op === 'watch.viewers') this.setViewers(p.viewers as Viewer[], p.viewersRev as number);
    else if (p.op === 'watch.settings') {
      this.settings = p.settings as WatchSettings;
      this.emit('settings', this.settings);
    } else if (p.op === 'watch.report') this.emit('report', { viewer: p.viewer, user: p.user, position: p.position, driftMs: p.driftMs, status: p.status } as WatchReport);
    else if (p.op === 'watch.left') {
      this.stop();
      this.emit('left', p.reason);
    }
  }

  /**
   * A control command based on the timeline we have. If the room moved on meanwhile (conflict),
   * the current timeline is fetched and the command sent once more when it still means something
   * (`still` says so): the user's intent, not a stale epoch, decides.
   */
  private async control<N extends 'watch.play' | 'watch.pause' | 'watch.seek' | 'watch.rate' | 'watch.load'>(op: N, fields: Omit<RequestOf<N>, 'room' | 'epoch'>, still: (t: Timeline) => boolean = () => true): Promise<Timeline> {
    const send = async () => {
      const r = await this.client.request(op, { ...fields, room: this.room, epoch: this.timeline?.epoch ?? 0 } as RequestOf<N>) as { timeline: Timeline };
      this.offer(r.timeline);
      return this.timeline!;
    };
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof TroupeError) || e.code !== 'conflict') throw e;
      const now = await this.state();
      if (!still(now)) return now;
      return send();
    }
  }

  play(): Promise<Timeline> {
    return this.control('watch.play', {}, (t) => t.state !== 'playing' && t.state !== 'preparing');
  }

  pause(): Promise<Timeline> {
    return this.control('watch.pause', {}, (t) => t.state === 'playing' || t.state === 'preparing');
  }

  seek(position: number): Promise<Timeline> {
    return this.control('watch.seek', { position: Math.max(0, position) });
  }

  setRate(rate: number): Promise<Timeline> {
    return this.control('watch.rate', { rate });
  }

  load(what: Control): Promise<Timeline> {
    return this.control('watch.load', what);
  }

  async setSettings(s: { control?: ControlPolicy; pauseForStalls?: boolean }): Promise<WatchSettings> {
    const r = await this.client.request('watch.settings', { room: this.room, ...s });
    this.settings = r.settings;
    return r.settings;
  }

  /**
   * This viewer has data at the timeline's position of `epoch`. `startLeadMs`: how long before a
   * scheduled start this player needs to be told (it starts that early); with it the room learns
   * how far ahead its starts must be to reach us in time.
   */
  async ready(epoch: number, startLeadMs?: number): Promise<void> {
    const rtt = this.clock.estimator.rtt;
    const s = this.lastStart;
    const start = s && startLeadMs !== undefined
      ? { start: { epoch: s.epoch, marginMs: Math.round(clamp(s.marginMs, -600_000, 600_000)), leadMs: Math.round(clamp(startLeadMs, 0, 10_000)) } }
      : {};
    await this.client.request('watch.ready', { room: this.room, epoch, ...(rtt !== null ? { rttMs: Math.round(rtt * 10) / 10 } : {}), ...start });
  }

  async stall(epoch: number): Promise<void> {
    await this.client.request('watch.stall', { room: this.room, epoch });
  }

  async report(position: number, driftMs: number, status: Viewer['status']): Promise<void> {
    await this.client.request('watch.report', { room: this.room, position: Math.max(0, position), driftMs, status });
  }

  /** A signed URL of the movie on the media server this viewer is placed on (`avoid`: one that failed). */
  source(avoid?: string): Promise<ResponseOf<'watch.source'>> {
    return this.client.request('watch.source', { room: this.room, ...(avoid ? { avoid } : {}) });
  }

  private stop(): void {
    this.joined = false;
    this.clock.stop();
    if (this.refresh) clearInterval(this.refresh);
    this.client.off('push', this.onPush);
    this.client.off('reconnected', this.onReconnect);
  }

  /** Stops watching. */
  async leave(): Promise<void> {
    this.stop();
    await this.client.request('watch.leave', { room: this.room }).catch(() => {});
  }
}
