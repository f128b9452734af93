// The watch benchmark's figures as a table beside the issue's goals and the anchors' tolerances,
// and as the LoadResult rows every benchmark returns. Pure formatting.
import type { LoadResult } from './harness.ts';
import { summarize, type DriftStats, type Summary } from './watch-analysis.ts';

export const ANCHORS = 'Syncplay 1.5 s, CyTube 2 s, OpenTogetherTube 1 s, Jellyfin 60–400 ms';

export interface WatchFigures {
  pages: number;
  storageNodes: number;
  /** What the room watched. */
  clip: string;
  /** Largest |page clock − Node clock| seen (ms), and the round trip that bounds it. */
  clock: { offset: number; rtt: number };
  /**
   * Each page's own estimate of the server clock, |server − page| (ms): the true offset is the
   * machine's (about 0), so this is the estimate's error, which every page's sync inherits.
   * The throttled page's estimates are left out (its link is lopsided on purpose).
   */
  clockEstimates: Summary;
  /** How long "within 40 ms" had to last. */
  holdMs: number;
  /** The machine is shared: its 1-minute load average before and after says how busy it was. */
  machine: { cores: number; loadBefore: number; loadAfter: number };
  /** From watch.load until everyone plays within 40 ms (ms; null: never). */
  start: number | null;
  steady: { ms: number; drift: DriftStats; reported: Summary; maxJump: number; halts: number };
  seeks: (number | null)[];
  /** Where a seek's time went (ms): command to the start the room set; that start to the push at the last page, to the last page's play(), to everyone together. */
  starts: { n: number; toStart: Summary; pushLate: Summary; playLate: Summary; settle: Summary };
  pause: number | null;
  resume: number | null;
  joiner: { time: number | null; othersHalts: number; othersDrift: Summary };
  throttle: { kbps: number; latencyMs: number; ms: number; othersDrift: Summary; othersHalts: number; ownHalts: number; back: number | null; shownAs: string[] };
  kill: { host: string; takeoverMs: number | null; maxJump: number; visibleJumps: number; halts: number; driftAfter: Summary; epochKept: boolean | null; ms: number };
}

interface Line {
  label: string;
  figure: string;
  goal: string;
  ok: boolean | null;
}

const ms = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : `${v.toFixed(Math.abs(v) < 10 ? 1 : 0)} ms`);
const never = (xs: (number | null)[]) => xs.filter((x) => x === null).length;

function lines(f: WatchFigures): Line[] {
  const seeks = summarize(f.seeks.filter((x): x is number => x !== null));
  const drift = f.steady.drift;
  const out: Line[] = [
    { label: 'pairwise drift, steady play (frames, truth)', figure: `p50 ${ms(drift.pairwise.p50)}, p99 ${ms(drift.pairwise.p99)}, max ${ms(drift.pairwise.max)}`, goal: 'p99 ≤ 40 ms', ok: drift.pairwise.p99 <= 40 },
    { label: '  largest minus smallest page, same times', figure: `p50 ${ms(drift.spread.p50)}, p99 ${ms(drift.spread.p99)}`, goal: '', ok: null },
    { label: '  drift the pages reported (data-drift)', figure: f.steady.reported.n ? `p50 ${ms(f.steady.reported.p50)}, p99 ${ms(f.steady.reported.p99)} (${f.steady.reported.n} reports)` : 'none shown', goal: '', ok: null },
    ...drift.vsTimeline.map((v) => ({ label: `  ${v.name} shown vs timeline (signed)`, figure: `mean ${ms(v.signed.mean)}, p99 |${ms(v.abs.p99)}|`, goal: '', ok: null })),
    { label: '  jumps / halts in steady play', figure: `max jump ${ms(f.steady.maxJump)}, ${f.steady.halts} halts`, goal: '', ok: null },
    { label: 'load: everyone within 40 ms', figure: ms(f.start), goal: '', ok: null },
    { label: '  pages\' server-clock estimates, |error|', figure: f.clockEstimates.n ? `p50 ${ms(f.clockEstimates.p50)}, p99 ${ms(f.clockEstimates.p99)}, max ${ms(f.clockEstimates.max)} (${f.clockEstimates.n})` : 'none shown', goal: '', ok: null },
    { label: `after a seek: everyone within 40 ms (${f.seeks.length})`, figure: `p50 ${ms(seeks.p50)}, p95 ${ms(seeks.p95)}, max ${ms(seeks.max)}${never(f.seeks) ? `, ${never(f.seeks)} never` : ''}`, goal: 'p95 ≤ 1500 ms', ok: never(f.seeks) === 0 && seeks.p95 <= 1500 },
    { label: '  seek: the start the room set, after the command', figure: `p50 ${ms(f.starts.toStart.p50)}, max ${ms(f.starts.toStart.max)} (${f.starts.n} seeks)`, goal: '', ok: null },
    { label: '  its push at the last page, after it (< 0: before)', figure: `p50 ${ms(f.starts.pushLate.p50)}, max ${ms(f.starts.pushLate.max)}`, goal: '', ok: null },
    { label: '  the last page\'s play(), after it', figure: `p50 ${ms(f.starts.playLate.p50)}, max ${ms(f.starts.playLate.max)}`, goal: '', ok: null },
    { label: '  everyone within 40 ms, after it', figure: `p50 ${ms(f.starts.settle.p50)}, max ${ms(f.starts.settle.max)}`, goal: '', ok: null },
    { label: 'after a pause: paused within 40 ms', figure: ms(f.pause), goal: '', ok: null },
    { label: 'after a resume: everyone within 40 ms', figure: ms(f.resume), goal: '', ok: null },
    { label: 'a joiner within 40 ms of everyone', figure: ms(f.joiner.time), goal: '≤ 3000 ms', ok: f.joiner.time !== null && f.joiner.time <= 3000 },
    { label: '  the others while it joins: halts, drift p99', figure: `${f.joiner.othersHalts} halts, ${ms(f.joiner.othersDrift.p99)}`, goal: '0 halts', ok: f.joiner.othersHalts === 0 },
    { label: `one member throttled (${f.throttle.kbps} kbit/s, ${f.throttle.latencyMs} ms)`, figure: `others: ${f.throttle.othersHalts} halts, drift p99 ${ms(f.throttle.othersDrift.p99)}`, goal: '0 halts', ok: f.throttle.othersHalts === 0 },
    { label: '  the throttled member: halts, back within 40 ms', figure: `${f.throttle.ownHalts} halts, ${ms(f.throttle.back)} after its reload`, goal: '', ok: null },
    { label: '  its row on the others\' pages', figure: f.throttle.shownAs.join(' → ') || '-', goal: '', ok: null },
    { label: `host ${f.kill.host} (the room's) SIGKILLed mid-play`, figure: `max jump ${ms(f.kill.maxJump)}, ${f.kill.visibleJumps} visible, ${f.kill.halts} halts`, goal: 'no jump > 40 ms', ok: f.kill.visibleJumps === 0 && f.kill.halts === 0 },
    { label: '  drift after the kill; the timeline back', figure: `p99 ${ms(f.kill.driftAfter.p99)}; answers after ${ms(f.kill.takeoverMs)}${f.kill.epochKept === false ? ', epoch changed' : ''}`, goal: '', ok: null },
  ];
  return out;
}

export function printWatchFigures(f: WatchFigures): void {
  console.log(`\nwatch: ${f.pages} Chromium pages on 2 gateways, 2 host processes, ${f.storageNodes} storage node(s); ${f.clip}`);
  console.log(`(${f.machine.cores} cores, load average ${f.machine.loadBefore.toFixed(1)} before, ${f.machine.loadAfter.toFixed(1)} after; page clocks vs this process within ${ms(Math.abs(f.clock.offset))} ± ${ms(f.clock.rtt / 2)})`);
  console.log(`(truth: the frames each page showed, interpolated at common times; "within 40 ms" must hold ${f.holdMs} ms)\n`);
  const ls = lines(f);
  const w = Math.max(...ls.map((l) => l.label.length)) + 2;
  const fw = Math.max(...ls.map((l) => l.figure.length)) + 2;
  console.log(`${'measurement'.padEnd(w)}${'figure'.padEnd(fw)}${'goal'.padEnd(18)}verdict`);
  for (const l of ls) console.log(`${l.label.padEnd(w)}${l.figure.padEnd(fw)}${l.goal.padEnd(18)}${l.ok === null ? '' : l.ok ? 'meets' : 'MISSES'}`);
  console.log(`\nanchors' tolerances: ${ANCHORS}. A halt: a page paused, waited for data or stood still ≥ 150 ms while the room played.`);
}

/** The same figures as LoadResult rows (p50/p99 in ms; ops: samples or events; errors: events that never converged). */
export function watchRows(f: WatchFigures): LoadResult[] {
  const row = (label: string, s: Summary, seconds: number, errors = 0): LoadResult => ({ label, ops: s.n, seconds, perSecond: seconds > 0 ? s.n / seconds : 0, p50: s.p50, p99: s.p99, errors });
  const events = (label: string, xs: (number | null)[]) => row(label, summarize(xs.filter((x): x is number => x !== null)), 0, never(xs));
  return [
    row('watch: pairwise drift, steady play', f.steady.drift.pairwise, f.steady.ms / 1000),
    row('watch: drift the pages reported', f.steady.reported, f.steady.ms / 1000),
    events('watch: seek to everyone within 40 ms', f.seeks),
    events('watch: pause to paused within 40 ms', [f.pause]),
    events('watch: resume to everyone within 40 ms', [f.resume]),
    events('watch: joiner within 40 ms', [f.joiner.time]),
    row('watch: others\' drift, one throttled', f.throttle.othersDrift, f.throttle.ms / 1000, f.throttle.othersHalts),
    row('watch: drift after the host kill', f.kill.driftAfter, f.kill.ms / 1000, f.kill.visibleJumps + f.kill.halts),
  ];
}
