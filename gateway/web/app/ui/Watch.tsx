// A room's watch view (#/w/<room>): the movie, which follows the room's timeline (the video
// follower), play, pause and seek for those who may control, the library picker, the viewers with
// their state and measured drift, and the room's chat beside the video. Below 900 px the chat goes
// under the video.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { RefObject } from 'preact';
import { targetPosition } from '../../../../protocol/timeline.ts';
import {
  watching, reports, watchSession, startWatching, stopWatching, closeWatch, mayControl, playMovie, pauseMovie, seekMovie,
  changeWatchSettings, titleOfRoom, conversation, type WatchState, type Viewer,
} from '../store/mod.ts';
import { VideoFollower, type FollowerStatus } from '../net/mod.ts';
import { formatDuration, formatDrift } from '../state/mod.ts';
import { MessageList } from './MessageList.tsx';
import { Composer } from './Composer.tsx';
import { LibraryPicker } from './LibraryPicker.tsx';
import { IconBack, IconPlay, IconPause, IconFilm, IconVolume, IconMuted, IconExpand } from './icons.tsx';

const idleStatus: FollowerStatus = { phase: 'empty', node: '', problem: '', driftMs: null, target: 0, clock: { offsetMs: null, uncertaintyMs: null } };

/** Where the room's movie is now, re-read four times a second while it plays. */
function useRoomPosition(w: WatchState): number {
  const [, tick] = useState(0);
  const playing = w.timeline?.state === 'playing';
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => tick((n) => n + 1), 250);
    return () => clearInterval(t);
  }, [playing]);
  const tl = w.timeline;
  const s = watchSession();
  if (!tl || !s) return 0;
  return targetPosition({ ...tl, durationMs: tl.media?.durationMs ?? 0 }, s.serverNow());
}

function Player({ video, onStatus, status }: { video: RefObject<HTMLVideoElement | null>; onStatus: (s: FollowerStatus) => void; status: FollowerStatus }) {
  const follower = useRef<VideoFollower | null>(null);
  useEffect(() => {
    const s = watchSession();
    if (!s || !video.current) return;
    const f = new VideoFollower(video.current, s, onStatus);
    follower.current = f;
    f.start();
    return () => {
      f.stop();
      follower.current = null;
    };
  }, []);
  const w = watching.value;
  const tl = w?.timeline;
  let overlay = null;
  if (!tl?.media) overlay = <p>Nothing is playing yet.{w && mayControl(w.role, w.settings) ? ' Pick a movie to watch together.' : ''}</p>;
  else if (status.phase === 'blocked') {
    overlay = (
      <button type="button" class="btn primary join" data-testid="watch-join" onClick={() => follower.current?.gesture()}>
        <IconPlay />Join the movie
      </button>
    );
  } else if (status.phase === 'unavailable' || status.phase === 'recovering') overlay = <p role="status">Finding another media server… {status.problem}</p>;
  else if (status.phase === 'loading') overlay = <p role="status">Loading…</p>;
  else if (tl.state === 'preparing') overlay = <p role="status" class="soft">Getting everyone ready…</p>;
  return (
    <div class="screen">
      <video ref={video} data-testid="watch-video" playsInline aria-label={tl?.media ? `Movie: ${tl.media.title}` : 'Movie'} />
      {overlay ? <div class={`screen-overlay${tl?.state === 'preparing' && status.phase === 'following' ? ' soft' : ''}`}>{overlay}</div> : null}
    </div>
  );
}

/** Mute and volume: this viewer's own (the room shares the timeline, not the loudness). */
function Sound({ video }: { video: RefObject<HTMLVideoElement | null> }) {
  const [muted, setMuted] = useState(false);
  const [volume, setVolume] = useState(1);
  useEffect(() => {
    const v = video.current;
    if (!v) return;
    v.muted = muted;
    v.volume = volume;
  }, [muted, volume]);
  return (
    <span class="sound">
      <button type="button" class="icon-btn" aria-label={muted ? 'Unmute' : 'Mute'} aria-pressed={muted} title={muted ? 'Unmute' : 'Mute'} onClick={() => setMuted(!muted)}>{muted ? <IconMuted /> : <IconVolume />}</button>
      <input type="range" class="volume" aria-label="Volume" min={0} max={1} step={0.05} value={muted ? 0 : volume} onInput={(e) => { setVolume(Number(e.currentTarget.value)); setMuted(false); }} />
    </span>
  );
}

function Controls({ w, status, video, onPick }: { w: WatchState; status: FollowerStatus; video: RefObject<HTMLVideoElement | null>; onPick: () => void }) {
  const position = useRoomPosition(w);
  const [dragging, setDragging] = useState<number | null>(null);
  const tl = w.timeline;
  const control = mayControl(w.role, w.settings);
  const duration = tl?.media?.durationMs ?? 0;
  const shown = dragging ?? position;
  const running = tl?.state === 'playing' || tl?.state === 'preparing';
  const who = w.settings?.control === 'owner' ? 'the owner' : 'the owner and admins';
  return (
    <div class="controls">
      <div class="control-row">
        {running ? (
          <button type="button" class="icon-btn big" aria-label="Pause" data-testid="watch-pause" disabled={!control} onClick={() => void pauseMovie()}><IconPause /></button>
        ) : (
          <button type="button" class="icon-btn big" aria-label="Play" data-testid="watch-play" disabled={!control || !tl?.media} onClick={() => void playMovie()}><IconPlay /></button>
        )}
        <span class="time" data-testid="watch-time">{formatDuration(shown)}{duration ? ` / ${formatDuration(duration)}` : ''}</span>
        <input
          type="range" class="seek" aria-label="Position" data-testid="watch-seek"
          min={0} max={Math.max(duration, shown, 1)} step={100} value={shown}
          disabled={!control || !tl?.media}
          onInput={(e) => setDragging(Number(e.currentTarget.value))}
          onChange={(e) => {
            setDragging(null);
            void seekMovie(Number(e.currentTarget.value));
          }}
        />
        <Sound video={video} />
        <button type="button" class="icon-btn" aria-label="Full screen" title="Full screen" onClick={() => void video.current?.closest('.screen')?.requestFullscreen().catch(() => {})}><IconExpand /></button>
        {control ? <button type="button" class="btn small" data-testid="watch-pick" onClick={onPick}><IconFilm />Pick a movie</button> : null}
      </div>
      <div class="control-note muted" data-testid="watch-note" data-clock-offset={status.clock.offsetMs === null ? '' : status.clock.offsetMs.toFixed(1)} data-clock-uncertainty={status.clock.uncertaintyMs === null ? '' : status.clock.uncertaintyMs.toFixed(1)}>
        {!control ? `Only ${who} control playback in this room. ` : ''}
        {status.driftMs !== null && tl?.state === 'playing' ? (
          <span data-testid="watch-own-drift" title={status.clock.uncertaintyMs === null ? undefined : `The server's clock is known here to ±${Math.ceil(status.clock.uncertaintyMs)} ms`}>You are {formatDrift(status.driftMs)} from the room. </span>
        ) : null}
        {status.node ? <span>Streaming from {status.node}.</span> : null}
      </div>
    </div>
  );
}

function statusLabel(v: Viewer, playing: boolean): string {
  if (v.status === 'stalled') return 'buffering';
  if (v.status === 'loading') return 'loading';
  return playing ? 'playing' : 'ready';
}

function Viewers({ w, own }: { w: WatchState; own: FollowerStatus }) {
  const playing = w.timeline?.state === 'playing';
  const rs = reports.value;
  return (
    <section class="viewers" aria-label="Viewers">
      <h3 class="section-title">Watching ({w.viewers.length})</h3>
      <ul>
        {w.viewers.map((v) => {
          const mine = v.viewer === w.viewer;
          const r = rs.get(v.viewer);
          const fresh = r && Date.now() - r.at < 10_000;
          const drift = mine ? own.driftMs : fresh ? r.driftMs : null;
          const label = statusLabel(v, playing);
          return (
            <li key={v.viewer} class="viewer" data-testid="watch-viewer" data-name={v.name} data-status={label} data-drift={drift === null ? '' : String(Math.round(drift))}>
              <span class={`dot ${label === 'playing' || label === 'ready' ? 'on' : label === 'buffering' ? 'warn' : ''}`} aria-hidden="true" />
              <span class="viewer-name">{v.name}{mine ? ' (you)' : ''}</span>
              <span class="viewer-state">{label}</span>
              <span class="viewer-drift">{drift !== null && playing ? formatDrift(drift) : ''}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Settings({ w }: { w: WatchState }) {
  if (w.role === 'member' || !w.settings) return null;
  return (
    <details class="watch-settings">
      <summary>Room settings</summary>
      <label class="field">
        <span>Who may play, pause and seek</span>
        <select class="input" value={w.settings.control} data-testid="watch-control" onChange={(e) => void changeWatchSettings({ control: e.currentTarget.value as 'everyone' | 'admins' | 'owner' })}>
          <option value="everyone">Everyone in the room</option>
          <option value="admins">The owner and admins</option>
          <option value="owner">Only the owner</option>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" checked={w.settings.pauseForStalls} onChange={(e) => void changeWatchSettings({ pauseForStalls: e.currentTarget.checked })} />
        <span>Pause for someone who buffers<small>At most a few seconds a time, and not for someone who keeps buffering. Otherwise they catch up on their own.</small></span>
      </label>
    </details>
  );
}

export function WatchView({ room }: { room: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<FollowerStatus>(idleStatus);
  const [picking, setPicking] = useState(false);
  useEffect(() => {
    void startWatching(room);
    return () => void stopWatching();
  }, [room]);
  const w = watching.value;
  const title = titleOfRoom(room);
  const c = conversation(room);
  return (
    <section class="main watch-view" aria-label={`Watch together in ${title}`}>
      <header class="conv-head">
        <button type="button" class="icon-btn" aria-label="Back to the chat" title="Back to the chat" onClick={closeWatch}><IconBack /></button>
        <div class="titles">
          <h2 data-testid="watch-title">{w?.timeline?.media?.title ?? 'Watch together'}</h2>
          <div class="sub">{title}{c?.kind === 'group' ? ` · ${c.members} member${c.members === 1 ? '' : 's'}` : ''}</div>
        </div>
      </header>
      {!w || (!w.joined && !w.error) ? <p class="boot">Joining the room…</p> : w.error ? (
        <div class="placeholder"><div><h2>Cannot watch here</h2><p data-testid="watch-error">{w.error}</p></div></div>
      ) : (
        <div class="watch">
          <div class="stage">
            <Player video={video} onStatus={setStatus} status={status} />
            <Controls w={w} status={status} video={video} onPick={() => setPicking(true)} />
            <Settings w={w} />
            <Viewers w={w} own={status} />
          </div>
          <div class="watch-chat" aria-label="Room chat">
            <MessageList key={room} room={room} />
            <Composer room={room} />
          </div>
        </div>
      )}
      {picking ? <LibraryPicker room={room} onClose={() => setPicking(false)} /> : null}
    </section>
  );
}
