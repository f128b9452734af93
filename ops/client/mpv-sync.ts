// An mpv player following a room's timeline: the same sync rules as every player
// (protocol/client/sync.ts decides; this applies the decisions to mpv and reports ready and
// stalls), the movie read from the media server the room is placed on (another one after a read
// error), and what its user does in mpv (pause, seek) sent to the room as commands.
import { decide, initialSyncState, localNow, type PlayerView, type SyncState, type WatchSession } from '../../protocol/client/mod.ts';
import type { Timeline } from '../../protocol/mod.ts';
import { Mpv, type MpvOptions } from './mpv.ts';

export interface FollowerEvents {
  /** The movie is read from a media server (node). */
  source?(node: string, url: string): void;
  /** Something went wrong that the follower works around (a failed read, a refused command). */
  problem?(what: string): void;
}

/** What the follower knows of mpv, from observed properties. */
interface Observed {
  /** time-pos (ms) and the local time it was reported. */
  pos: number;
  posAt: number;
  paused: boolean;
  speed: number;
  cacheWait: boolean;
  seeking: boolean;
  loaded: boolean;
  /** At the end of the file (mpv holds the last frame, paused). */
  eof: boolean;
  /** The video's frame rate (0: unknown). */
  fps: number;
}

/** What mpv reports this soon after our own command is taken to be its effect. */
const OWN_MS = 700;

/** Waiting this long for data while the room plays means the media server is gone. */
const STARVED_MS = 6000;

export class MpvFollower {
  private state: SyncState = initialSyncState();
  private readonly seen: Observed = { pos: 0, posAt: 0, paused: true, speed: 1, cacheWait: false, seeking: false, loaded: false, eof: false, fps: 0 };
  /** The file mpv has loaded, and the node it reads from. */
  private file: string | null = null;
  node: string | null = null;
  private expiresAt = 0;
  /**
   * To tell its user's actions from ours: changes of pause, and seeks, that mpv reports within
   * OWN_MS of our own command are ours (mpv may report them late, or coalesce two seeks in one).
   */
  private ownPauseUntil = 0;
  private ownSeekUntil = 0;
  private userSeek = false;
  private ticking = false;
  private loop?: ReturnType<typeof setInterval>;
  private wake?: ReturnType<typeof setTimeout>;
  private lastDecision: { target: number; driftMs: number | null } = { target: 0, driftMs: null };
  /** Local time mpv began waiting for data while it should play (null: it is not). */
  private starvedSince: number | null = null;
  private readonly onTimeline = () => void this.tick();

  private constructor(readonly mpv: Mpv, private readonly session: WatchSession, private readonly events: FollowerEvents) {}

  static async start(session: WatchSession, opts: MpvOptions = {}, events: FollowerEvents = {}): Promise<MpvFollower> {
    const mpv = await Mpv.start(opts);
    const f = new MpvFollower(mpv, session, events);
    await f.wire();
    return f;
  }

  private async wire(): Promise<void> {
    const s = this.seen;
    await this.mpv.observe('time-pos', (v, at) => {
      if (typeof v === 'number') {
        s.pos = v * 1000;
        s.posAt = at;
      }
    });
    await this.mpv.observe('pause', (v, at) => {
      // mpv reports time-pos only when it changes: the position held while paused is where the
      // video is when it plays again, not one to move on from the time it was reported
      if (s.paused !== (v === true)) s.posAt = at;
      s.paused = v === true;
      // the user pressed pause or play in mpv: that is a command to the room (mpv pausing
      // itself at the end of the file is not)
      if (s.loaded && !s.eof && Date.now() > this.ownPauseUntil) {
        void (s.paused ? this.session.pause() : this.session.play()).catch((e) => this.events.problem?.(`${s.paused ? 'pause' : 'play'}: ${(e as Error).message}`));
      }
    });
    await this.mpv.observe('speed', (v) => {
      if (typeof v === 'number') s.speed = v;
    });
    await this.mpv.observe('paused-for-cache', (v) => (s.cacheWait = v === true));
    await this.mpv.observe('seeking', (v) => (s.seeking = v === true));
    await this.mpv.observe('eof-reached', (v) => (s.eof = v === true));
    await this.mpv.observe('container-fps', (v) => (s.fps = typeof v === 'number' && v > 0 ? v : 0));
    this.mpv.onEvent((e) => {
      if (e.event === 'seek') {
        if (s.loaded && Date.now() > this.ownSeekUntil) this.userSeek = true;
      } else if (e.event === 'playback-restart' && this.userSeek) {
        this.userSeek = false;
        void this.session.seek(s.pos).catch((err) => this.events.problem?.(`seek: ${(err as Error).message}`));
      } else if (e.event === 'file-loaded') {
        s.loaded = true;
      } else if (e.event === 'end-file' && e.reason === 'error') {
        // the media server failed: another holder, from where we are, with a range request
        s.loaded = false;
        void this.reload(this.node ?? undefined);
      }
    });
    this.session.on('timeline', this.onTimeline);
    this.loop = setInterval(() => void this.tick(), 100);
  }

  /** The player as the sync rules see it (times in server time). */
  view(): PlayerView {
    const s = this.seen;
    return {
      position: s.pos, measuredAt: this.session.clock.serverAt(s.posAt || localNow()),
      paused: s.paused, rate: s.speed, buffering: s.cacheWait, seeking: s.seeking || !s.loaded, canPlay: s.loaded && !s.cacheWait && !s.seeking,
      ...(s.fps ? { frameMs: 1000 / s.fps } : {}),
    };
  }

  /** Where the room is and how far off we are (for reports). */
  get drift(): { target: number; driftMs: number | null } {
    return this.lastDecision;
  }

  /** Loads the room's movie from the media server it is placed on (`avoid`: one that failed). */
  private async reload(avoid?: string): Promise<void> {
    const tl = this.session.timeline;
    if (!tl?.media) return;
    let src;
    try {
      src = await this.session.source(avoid);
    } catch (e) {
      this.events.problem?.(`no source: ${(e as Error).message}`);
      return;
    }
    this.file = tl.media.file;
    this.node = src.node;
    this.expiresAt = Date.parse(src.expiresAt);
    const start = (this.session.timeline ? decide(this.state, this.session.timeline, this.session.serverNow(), this.view()).decision.target : 0) / 1000;
    this.seen.loaded = false;
    // a new file starts cold (what was learned of start leads stays)
    this.state = { ...this.state, played: false };
    this.ownSeekUntil = this.ownPauseUntil = Date.now() + OWN_MS;
    await this.mpv.command('loadfile', src.url, 'replace', `start=${start.toFixed(3)},pause=yes`).catch((e) => this.events.problem?.(`loadfile: ${(e as Error).message}`));
    this.events.source?.(src.node, src.url);
  }

  /** One round: the movie to load, then what the sync rules say. */
  async tick(): Promise<void> {
    if (this.ticking || !this.mpv.running) return;
    this.ticking = true;
    try {
      const tl = this.session.timeline;
      if (!tl) return;
      if ((tl.media?.file ?? null) !== this.file || (this.expiresAt && Date.now() > this.expiresAt - 60_000)) {
        if (tl.media) await this.reload();
        else {
          this.file = null;
          await this.mpv.command('stop').catch(() => {});
        }
        return;
      }
      if (!tl.media) return;
      await this.follow(tl);
    } finally {
      this.ticking = false;
    }
  }

  private async follow(tl: Timeline): Promise<void> {
    // reads that stay stuck (a media server that died without closing the connection): another holder
    const starving = this.seen.cacheWait && tl.state === 'playing';
    this.starvedSince = starving ? (this.starvedSince ?? Date.now()) : null;
    if (this.starvedSince !== null && Date.now() - this.starvedSince > STARVED_MS) {
      this.starvedSince = null;
      this.events.problem?.(`no data from ${this.node} for ${STARVED_MS / 1000} s: reading from another media server`);
      await this.reload(this.node ?? undefined);
      return;
    }
    const now = this.session.serverNow();
    const r = decide(this.state, tl, now, this.view());
    this.state = r.state;
    const d = r.decision;
    this.lastDecision = { target: d.target, driftMs: d.driftMs };
    if (d.seekTo !== undefined) {
      this.ownSeekUntil = Date.now() + OWN_MS;
      await this.mpv.command('seek', d.seekTo / 1000, 'absolute+exact').catch(() => {});
    }
    if (this.seen.paused !== !d.play) {
      this.ownPauseUntil = Date.now() + OWN_MS;
      await this.mpv.command('set_property', 'pause', !d.play).catch(() => {});
    }
    if (Math.abs(this.seen.speed - d.rate) > 0.0005) await this.mpv.command('set_property', 'speed', d.rate).catch(() => {});
    if (d.report) {
      const { type, epoch } = d.report;
      void (type === 'ready' ? this.session.ready(epoch, this.state.startLeadMs) : this.session.stall(epoch)).catch((e) => this.events.problem?.(`${type}: ${(e as Error).message}`));
    }
    if (d.wakeAt !== null) {
      // a scheduled start: be there on time, not at the next 100 ms round (which a busy
      // process runs late)
      if (this.wake) clearTimeout(this.wake);
      const inMs = d.wakeAt - now;
      if (inMs > 0) this.wake = setTimeout(() => void this.tick(), inMs);
    }
  }

  async stop(): Promise<void> {
    if (this.loop) clearInterval(this.loop);
    if (this.wake) clearTimeout(this.wake);
    this.session.off('timeline', this.onTimeline);
    await this.mpv.quit();
  }
}
