// A <video> element following a room's timeline: the browser edge of watch together. It measures
// where the video is on every displayed frame (requestVideoFrameCallback: the frame's media time
// and when it is shown), lets the shared sync rules (protocol/client/sync.ts) decide, and applies
// what they say (play or pause, a gentle playbackRate change, a seek for large drift); it tells
// the room when it is ready and when it stalls, reports its drift every few seconds, reads the
// movie from the media server the room is placed on and moves to another one after a read error.
// Which phase the player is in is the statechart in state/player.ts.
import { createActor } from 'xstate';
import { browserSyncOptions, decide, initialSyncState, localNow, type PlayerView, type SyncState, type WatchSession } from '../../../../protocol/client/mod.ts';
import type { Timeline } from '../../../../protocol/watch.ts';
import { playerMachine, type PlayerPhase } from '../state/mod.ts';

export interface FollowerStatus {
  phase: PlayerPhase;
  /** The media server the video reads from. */
  node: string;
  problem: string;
  /** Our position minus the room's (ms), when it means something. */
  driftMs: number | null;
  /** Where the room is (ms). */
  target: number;
  /** The server clock as this page estimates it: server minus local (ms), and how far off that may be. */
  clock: { offsetMs: number | null; uncertaintyMs: number | null };
}

/** Decide at least this often (frames decide too, but a paused video shows none). */
const TICK_MS = 200;
/** Tell the room where we are this often. */
const REPORT_MS = 2000;
/** Waiting for data this long while the room plays: the media server is gone, try another. */
const STARVED_MS = 6000;
/** A frame measurement older than this is not used (the video stopped presenting frames). */
const FRAME_FRESH_MS = 500;
/** Rates closer than this to the current one are not set (a change this small does nothing visible). */
const RATE_STEP = 0.001;
/** The element's changes the rules act on at once (seek landed, data arrived or ran out). */
const MEDIA_STATE_EVENTS = ['seeked', 'canplay', 'waiting', 'playing'] as const;
/** Ask for a fresh ticket this long before the one in use expires. */
const RENEW_MS = 60_000;

export class VideoFollower {
  private sync: SyncState = initialSyncState(browserSyncOptions);
  private readonly player = createActor(playerMachine).start();
  /** The last displayed frame: its media time (ms) and when it was shown (local ms). */
  /** The last frame shown: its media time, when (local ms), and whether the video was paused then. */
  private frame: { media: number; at: number; paused: boolean } | null = null;
  private frameMs = 0;
  private lastMedia = -1;
  private fetching = false;
  private expiresAt = 0;
  private retryAt = 0;
  private playCalled = false;
  private starvedSince: number | null = null;
  private lastReport = 0;
  private lastStatus = 0;
  private lastDrift: number | null = null;
  private target = 0;
  private stopped = false;
  private timer?: ReturnType<typeof setInterval>;
  private wake?: ReturnType<typeof setTimeout>;
  private readonly onTimeline = () => this.tick();
  private readonly onLoaded = () => {
    this.player.send({ type: 'LOADED' });
    this.tick();
  };
  private readonly onError = () => {
    if (!this.video.getAttribute('src')) return;
    const code = this.video.error?.code ?? 0;
    this.fail(code === 4 ? 'the media server cannot serve this movie in a format the browser plays' : `read error ${code} from ${this.player.getSnapshot().context.node}`);
  };
  private readonly onSeeking = () => {
    this.frame = null;
  };
  /**
   * A paused video shows no frames, so without these the rules would hear of a landed seek only
   * at the next timer tick: up to 200 ms later ready, and a room's start that much later.
   */
  private readonly onMediaState = () => this.tick();

  constructor(private readonly video: HTMLVideoElement, private readonly session: WatchSession, private readonly onStatus: (s: FollowerStatus) => void) {}

  get phase(): PlayerPhase {
    return this.player.getSnapshot().value as PlayerPhase;
  }

  start(): void {
    const v = this.video;
    v.preload = 'auto';
    // a rate correction resamples the sound (its pitch moves with the rate, at most 5 %, while it
    // lasts) instead of time-stretching it: Chromium's pitch-keeping stretch (WSOLA) set the
    // audio clock, and with it the frames, 15-25 ms back at every rate change (measured at 24 fps
    // with a sound track; muted too), so a page 20 ms behind that sped up fell 40 ms behind, and
    // one slightly ahead that slowed down overshot; resampled, a change costs nothing
    v.preservesPitch = false;
    v.addEventListener('loadedmetadata', this.onLoaded);
    v.addEventListener('error', this.onError);
    v.addEventListener('seeking', this.onSeeking);
    for (const type of MEDIA_STATE_EVENTS) v.addEventListener(type, this.onMediaState);
    this.session.on('timeline', this.onTimeline);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.nextFrame();
    this.tick();
  }

  /** The user clicked to join (the autoplay policy wants a gesture before sound plays). */
  gesture(): void {
    this.player.send({ type: 'GESTURE' });
    this.playCalled = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wake);
    this.session.off('timeline', this.onTimeline as never);
    const v = this.video;
    v.removeEventListener('loadedmetadata', this.onLoaded);
    v.removeEventListener('error', this.onError);
    v.removeEventListener('seeking', this.onSeeking);
    for (const type of MEDIA_STATE_EVENTS) v.removeEventListener(type, this.onMediaState);
    v.pause();
    v.removeAttribute('src');
    v.load();
    this.player.stop();
  }

  private nextFrame(): void {
    if (this.stopped || !('requestVideoFrameCallback' in this.video)) return;
    this.video.requestVideoFrameCallback((_now, meta) => {
      const media = meta.mediaTime * 1000;
      // a frame lasts the smallest step between consecutive frames seen (dropped frames and
      // faster rates only make steps longer)
      const step = media - this.lastMedia;
      if (this.lastMedia >= 0 && step > 1 && step < 250) this.frameMs = this.frameMs ? Math.min(this.frameMs, step) : step;
      this.lastMedia = media;
      this.frame = { media, at: performance.timeOrigin + meta.expectedDisplayTime, paused: this.video.paused };
      this.tick();
      this.nextFrame();
    });
  }

  /** The video as the sync rules see it (times in server time). */
  private view(): PlayerView {
    const v = this.video;
    const seeking = v.seeking;
    const f = this.frame;
    // a frame shown while paused (the one a seek landed on) says nothing about a playing video:
    // read just after play(), it made the video look ahead by the time since, so every start
    // began with a slowed rate and taught the learned start lead a false lesson
    const fresh = f && !f.paused && !v.paused && !seeking && localNow() - f.at < FRAME_FRESH_MS;
    return {
      position: fresh ? f.media : v.currentTime * 1000,
      measuredAt: fresh ? this.session.clock.serverAt(f.at) : this.session.serverNow(),
      paused: v.paused,
      rate: v.playbackRate,
      buffering: !seeking && !v.paused && v.readyState < 3,
      seeking,
      canPlay: !seeking && v.readyState >= 3,
      // only a frame's position stands on a frame: a paused element's currentTime is exactly where
      // it was sought, so holding needs no frame's allowance (with it, paused viewers rested up to a
      // frame apart: 67 ms at 15 fps)
      ...(this.frameMs && fresh ? { frameMs: this.frameMs } : {}),
    };
  }

  private fail(problem: string): void {
    this.player.send({ type: 'FAILED', problem });
    const failures = this.player.getSnapshot().context.failures;
    this.retryAt = Date.now() + Math.min(5000, 500 * failures);
    this.tick();
  }

  /** Reads the movie from the media server the room is placed on (`avoid`: one that failed). */
  private async load(avoid?: string): Promise<void> {
    this.fetching = true;
    try {
      const src = await this.session.source(avoid);
      if (this.stopped) return;
      this.expiresAt = Date.parse(src.expiresAt);
      this.frame = null;
      // a new element starts cold (what it learned of its start leads stays)
      this.sync = { ...this.sync, played: false };
      this.frameMs = 0;
      this.lastMedia = -1;
      this.playCalled = false;
      this.player.send({ type: 'SOURCE', node: src.node, file: src.file });
      this.video.src = src.url;
    } catch (e) {
      if (this.stopped) return;
      this.player.send({ type: 'NO_SOURCE', problem: e instanceof Error ? e.message : String(e) });
      setTimeout(() => {
        if (!this.stopped) this.player.send({ type: 'RETRY' });
      }, 3000);
    } finally {
      this.fetching = false;
    }
  }

  private tick(): void {
    if (this.stopped) return;
    const tl = this.session.timeline;
    const snap = this.player.getSnapshot();
    const phase = snap.value as PlayerPhase;
    if (!tl?.media) {
      if (phase !== 'empty') {
        this.player.send({ type: 'UNLOAD' });
        this.video.pause();
        this.video.removeAttribute('src');
        this.video.load();
      }
      this.lastDrift = null;
      this.status(phase !== 'empty');
      return;
    }
    if (!this.fetching) {
      if (tl.media.file !== snap.context.file && phase !== 'unavailable') void this.load();
      else if (phase === 'recovering' && Date.now() >= this.retryAt) void this.load(snap.context.node || undefined);
      else if ((phase === 'following' || phase === 'blocked') && this.expiresAt && Date.now() > this.expiresAt - RENEW_MS) void this.load();
    }
    // blocked: the video stands until the click (following the room there would only seek it about)
    if (phase === 'following') this.follow(tl);
    this.status(false);
  }

  private follow(tl: Timeline): void {
    const v = this.video;
    const now = this.session.serverNow();
    const view = this.view();
    const r = decide(this.sync, tl, now, view, browserSyncOptions);
    this.sync = r.state;
    const d = r.decision;
    this.target = d.target;
    this.lastDrift = d.driftMs;
    if (d.seekTo !== undefined) {
      v.currentTime = d.seekTo / 1000;
      this.frame = null;
    }
    if (d.play && v.paused && !this.playCalled) {
      this.playCalled = true;
      v.play().then(
        () => { this.playCalled = false; },
        (e: unknown) => {
          this.playCalled = false;
          // the browser wants a click first (autoplay policy); an AbortError is a pause we made
          if ((e as { name?: string }).name === 'NotAllowedError') this.player.send({ type: 'BLOCKED' });
        },
      );
    } else if (!d.play && !v.paused) v.pause();
    if (Math.abs(v.playbackRate - d.rate) >= RATE_STEP || (d.rate === tl.rate && v.playbackRate !== tl.rate)) v.playbackRate = d.rate;
    if (d.report) {
      const { type, epoch } = d.report;
      void (type === 'ready' ? this.session.ready(epoch, this.sync.startLeadMs) : this.session.stall(epoch)).catch(() => {
        // said again at the next epoch; the room's deadline starts play without us meanwhile
      });
    }
    // a media server that stopped sending without closing the connection: another holder
    const starving = view.buffering && tl.state === 'playing';
    this.starvedSince = starving ? (this.starvedSince ?? Date.now()) : null;
    if (this.starvedSince !== null && Date.now() - this.starvedSince > STARVED_MS) {
      this.starvedSince = null;
      this.fail(`no data from ${this.player.getSnapshot().context.node} for ${STARVED_MS / 1000} s`);
      return;
    }
    if (d.wakeAt !== null) {
      // a scheduled start: be there on time, not at the next tick (a busy page runs its 200 ms
      // timer late, and a paused video shows no frames to decide on meanwhile)
      clearTimeout(this.wake);
      const inMs = d.wakeAt - now;
      if (inMs > 0) this.wake = setTimeout(() => this.tick(), inMs);
    }
    const local = Date.now();
    if (local - this.lastReport >= REPORT_MS) {
      this.lastReport = local;
      const status = this.sync.stalledEpoch !== null ? 'stalled' : view.canPlay || !v.paused ? 'ready' : 'loading';
      const here = view.position + (view.paused || view.seeking ? 0 : view.rate * Math.max(0, now - view.measuredAt));
      void this.session.report(here, Math.round(d.driftMs ?? 0), status).catch(() => {});
    }
  }

  /** Tells the view (at most four times a second, or at once when asked). */
  private status(now: boolean): void {
    const t = Date.now();
    if (!now && t - this.lastStatus < 250) return;
    this.lastStatus = t;
    const snap = this.player.getSnapshot();
    this.onStatus({ phase: snap.value as PlayerPhase, node: snap.context.node, problem: snap.context.problem, driftMs: this.lastDrift, target: this.target, clock: { offsetMs: this.session.clock.estimator.offset, uncertaintyMs: this.session.clock.estimator.uncertainty } });
  }
}
