// The watch actor's statechart: one per room (kind `watch`, id = the room). Its state is the
// timeline's state: `idle` (nothing loaded) → `preparing` (members get ready at the position, with
// a deadline) → `playing` ⇄ `paused`, and `ended`. Each state lists the events that can move it and
// where to; what an event does (and so which of those targets it takes) is decided by the pure
// rules in rules.ts. Time comes from `event.meta.at`; deadlines live in `context.deadlines`.
import { setup } from 'xstate';
import type { ControlPolicy, MediaLocation, StartReport, WatchMedia } from '../../protocol/mod.ts';
import type { Effect, EventMeta } from '../runtime/mod.ts';
import * as rules from './rules.ts';
import type { State, WatchContext, WatchOptions, Outcome, Role } from './rules.ts';

export type WatchEvent = { meta: EventMeta } & (
  | { type: 'join'; user: number; name: string; conn: string; gateway: string }
  | { type: 'leave'; conn: string }
  | { type: 'gatewayDown'; gateway: string }
  | { type: 'state'; user: number }
  | { type: 'load'; by: number; epoch: number; media: WatchMedia; location: MediaLocation }
  | { type: 'play'; by: number; epoch: number }
  | { type: 'pause'; by: number; epoch: number }
  | { type: 'seek'; by: number; epoch: number; position: number }
  | { type: 'rate'; by: number; epoch: number; rate: number }
  | { type: 'ready'; user: number; conn: string; epoch: number; rttMs?: number; start?: StartReport }
  | { type: 'stall'; user: number; conn: string; epoch: number }
  | { type: 'source'; user: number; conn: string }
  | { type: 'settings'; by: number; control?: ControlPolicy; pauseForStalls?: boolean }
  | { type: 'roster'; members: Record<string, Role> }
  | { type: 'member'; user: number; role: Role | null }
  | { type: 'timer'; name: string });

type Rule = (state: State, ctx: WatchContext, ev: WatchEvent) => Outcome;
type Ev<T extends WatchEvent['type']> = Extract<WatchEvent, { type: T }>;

/** Binds a rule to its event's fields and the message time. */
const on = <T extends WatchEvent['type']>(f: (state: State, ctx: WatchContext, ev: Ev<T>) => Outcome): Rule => (s, c, e) => f(s, c, e as Ev<T>);

/** Roster messages count only when the runtime says this room's actor sent them. */
const fromRoom = (ctx: WatchContext, e: WatchEvent) => e.meta.from === `room.${ctx.rid}`;

export function watchRules(o: WatchOptions) {
  return {
    join: on<'join'>((s, c, e) => rules.join(s, c, { ...e, at: e.meta.at }, o)),
    leave: on<'leave'>((s, c, e) => rules.leave(s, c, { ...e, at: e.meta.at }, o)),
    gatewayDown: on<'gatewayDown'>((s, c, e) => rules.gatewayDown(s, c, { ...e, at: e.meta.at }, o)),
    state: on<'state'>((s, c, e) => rules.view(s, c, e)),
    load: on<'load'>((s, c, e) => rules.load(s, c, { ...e, at: e.meta.at }, o)),
    play: on<'play'>((s, c, e) => rules.play(s, c, { ...e, at: e.meta.at }, o)),
    pause: on<'pause'>((s, c, e) => rules.pause(s, c, { ...e, at: e.meta.at }, o)),
    seek: on<'seek'>((s, c, e) => rules.seek(s, c, { ...e, at: e.meta.at }, o)),
    rate: on<'rate'>((s, c, e) => rules.setRate(s, c, { ...e, at: e.meta.at }, o)),
    ready: on<'ready'>((s, c, e) => rules.ready(s, c, { ...e, at: e.meta.at }, o)),
    stall: on<'stall'>((s, c, e) => rules.stall(s, c, { ...e, at: e.meta.at }, o)),
    source: on<'source'>((s, c, e) => rules.source(s, c, e)),
    settings: on<'settings'>((s, c, e) => rules.settings(s, c, e)),
    roster: on<'roster'>((s, c, e) => (fromRoom(c, e) ? rules.roster(s, c, { ...e, at: e.meta.at }, o) : { to: s, ctx: c, effects: [] })),
    member: on<'member'>((s, c, e) => (fromRoom(c, e) ? rules.member(s, c, { ...e, at: e.meta.at }, o) : { to: s, ctx: c, effects: [] })),
    timer: on<'timer'>((s, c, e) => {
      if (e.name === 'prepare') return rules.prepareTimeout(s, c, e.meta.at, o);
      if (e.name === 'end') return rules.reachEnd(s, c, e.meta.at);
      if (e.name === 'seek') return rules.seekBurstEnds(s, c, e.meta.at, o);
      return { to: s, ctx: c, effects: [] };
    }),
  } satisfies Record<WatchEvent['type'], Rule>;
}

export function watchMachine(o: WatchOptions) {
  const r = watchRules(o);
  // A rule runs once per message: the guards that pick the target and the action that applies it
  // share its outcome (rules are pure, so this is only a saving).
  const decided = new WeakMap<object, { ctx: WatchContext; out: Outcome }>();
  const decide = (from: State, rule: Rule, ctx: WatchContext, ev: WatchEvent): Outcome => {
    const hit = decided.get(ev);
    if (hit && hit.ctx === ctx) return hit.out;
    const out = rule(from, ctx, ev);
    decided.set(ev, { ctx, out });
    return out;
  };

  const s = setup({
    types: { context: {} as WatchContext, events: {} as WatchEvent, emitted: {} as Effect, input: {} as { rid: string } },
  });

  const apply = (from: State, rule: Rule, expect?: State) => s.enqueueActions(({ context, event, enqueue }) => {
    const out = decide(from, rule, context, event);
    if (expect !== undefined && out.to !== expect) throw new Error(`watch: ${event.type} in ${from} went to ${out.to}, which the statechart does not allow`);
    if (out.ctx !== context) enqueue.assign(() => out.ctx);
    for (const e of out.effects) enqueue.emit(e);
  });

  /** An event of state `from` that may move to `targets` (the rule decides which) or stay. */
  const route = (from: State, rule: Rule, targets: State[] = []) => [
    ...targets.map((target) => ({ guard: ({ context, event }: { context: WatchContext; event: WatchEvent }) => decide(from, rule, context, event).to === target, target, actions: apply(from, rule) })),
    { actions: apply(from, rule, from) },
  ];

  /** Events every state handles the same way, none of which moves it but through preparing's end. */
  const common = (from: State) => ({
    join: route(from, r.join),
    state: route(from, r.state),
    source: route(from, r.source),
    settings: route(from, r.settings),
    stall: route(from, r.stall),
    ready: route(from, r.ready, from === 'preparing' ? ['playing'] : []),
    leave: route(from, r.leave, from === 'preparing' ? ['playing'] : []),
    gatewayDown: route(from, r.gatewayDown, from === 'preparing' ? ['playing'] : []),
    roster: route(from, r.roster, from === 'preparing' ? ['playing'] : []),
    member: route(from, r.member, from === 'preparing' ? ['playing'] : []),
    load: route(from, r.load, ['preparing', 'playing']),
    play: route(from, r.play),
    pause: route(from, r.pause),
    seek: route(from, r.seek),
    rate: route(from, r.rate),
    timer: route(from, r.timer),
  });

  return s.createMachine({
    id: 'watch',
    context: ({ input }) => rules.initialContext(input.rid),
    initial: 'idle',
    states: {
      // nothing loaded: only `load` moves it
      idle: { on: { ...common('idle') } },
      // members get ready at the position; play starts when they are (or at the deadline)
      preparing: {
        on: {
          ...common('preparing'),
          pause: route('preparing', r.pause, ['paused']),
          seek: route('preparing', r.seek, ['playing']),
          timer: route('preparing', r.timer, ['playing']),
        },
      },
      playing: {
        on: {
          ...common('playing'),
          pause: route('playing', r.pause, ['paused']),
          seek: route('playing', r.seek, ['preparing']),
          // a stall pauses the room only when its settings say so (back through preparing)
          stall: route('playing', r.stall, ['preparing']),
          // the end of the movie, or a seek burst's last position
          timer: route('playing', r.timer, ['ended', 'preparing']),
        },
      },
      paused: {
        on: {
          ...common('paused'),
          play: route('paused', r.play, ['preparing', 'playing']),
        },
      },
      ended: {
        on: {
          ...common('ended'),
          play: route('ended', r.play, ['preparing', 'playing']),
          seek: route('ended', r.seek, ['paused']),
          timer: route('ended', r.timer, ['paused']),
        },
      },
    },
  });
}
