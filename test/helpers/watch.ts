// Driving the watch actor's machine directly (no runtime): the same step() hosts run, with
// messages stamped by the test's own clock. Used by the pure timeline tests and the simulation.
import { watchKind, type WatchOptions } from '../../actors/watch/mod.ts';
import { step, initialState, type Effect, type PersistedMachine } from '../../actors/runtime/mod.ts';
import type { Timeline } from '../../protocol/mod.ts';

export interface Step {
  effects: Effect[];
  reply?: Record<string, unknown>;
  error?: { code: string; message: string };
}

export class WatchDriver {
  readonly kind;
  state: PersistedMachine;
  private n = 0;

  constructor(readonly rid = 'gaaaaaaaaaaaa', opts: Partial<WatchOptions> = {}) {
    this.kind = watchKind(opts);
    this.state = initialState(this.kind, rid).state;
  }

  get value(): string {
    return this.state.value as string;
  }

  get ctx(): Record<string, any> {
    return this.state.context as Record<string, any>;
  }

  /** One message at server time `at` (ms). */
  send(body: { type: string; [k: string]: unknown }, at: number, from?: string): Step {
    const event: { type: string; meta: unknown } = { ...body, meta: { at, key: `k${++this.n}`, asked: true, ...(from ? { from } : {}) } };
    const r = step(this.kind, this.state, event);
    this.state = r.state;
    const reply = r.effects.find((e) => e.type === 'reply') as { body: Record<string, unknown> } | undefined;
    const fail = r.effects.find((e) => e.type === 'fail') as { code: string; message: string } | undefined;
    return { effects: r.effects, ...(reply ? { reply: reply.body } : {}), ...(fail ? { error: { code: fail.code, message: fail.message } } : {}) };
  }

  /** The room actor's roster message. */
  roster(members: Record<number, 'owner' | 'admin' | 'member'>, at: number): Step {
    return this.send({ type: 'roster', members: Object.fromEntries(Object.entries(members).map(([u, r]) => [String(u), r])) }, at, `room.${this.rid}`);
  }

  /** Fires every deadline due at `at`, as the runtime's $timers message does. */
  timers(at: number): Step[] {
    const out: Step[] = [];
    const due = Object.entries((this.ctx.deadlines ?? {}) as Record<string, number>).filter(([, t]) => t <= at).sort((a, b) => a[1] - b[1]);
    for (const [name] of due) out.push(this.send({ type: 'timer', name }, at));
    return out;
  }

  /** The deadline due next, if any. */
  nextDeadline(): number | null {
    const d = Object.values((this.ctx.deadlines ?? {}) as Record<string, number>);
    return d.length ? Math.min(...d) : null;
  }

  timeline(): Timeline {
    const c = this.ctx;
    return { epoch: c.epoch, state: this.value as Timeline['state'], position: c.position, at: c.at, rate: c.rate, media: c.media, ...(this.value === 'preparing' ? { until: c.deadlines.prepare } : {}) };
  }
}

/** Timeline pushes among a step's effects. */
export function timelinePushes(effects: Effect[]): { timeline: Timeline; cause: string; by?: number }[] {
  return effects
    .filter((e): e is Extract<Effect, { type: 'publish' }> => e.type === 'publish' && e.subject.startsWith('evt.watch.'))
    .map((e) => (e.body as { push: Record<string, unknown> }).push)
    .filter((p) => p.op === 'watch.timeline') as never;
}

export const media = (file = 'g1-1-aaaaaaaaaaaa', durationMs = 60_000) => ({
  media: { file, title: 'Clip', durationMs, size: 1000, contentType: 'video/mp4', source: 'library' as const },
  location: { group: 'g1', origin: 'node-a', binlogSeq: 1 },
});
